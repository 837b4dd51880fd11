exports.toCents = amount => Math.floor(amount * 100);
