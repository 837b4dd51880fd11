const { toCents } = require('./rounding');

/** A charge in cents for an amount in the currency's major unit. */
exports.charge = (amount, currency) => ({ cents: toCents(amount), currency });
