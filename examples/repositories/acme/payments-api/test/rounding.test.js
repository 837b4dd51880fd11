const test = require('node:test');
const assert = require('node:assert/strict');
const { toCents } = require('../src/rounding');

test('converts whole amounts to cents', () => {
  assert.equal(toCents(12), 1200);
});

test('rounds to the nearest cent', () => {
  assert.equal(toCents(1.15), 115);
  assert.equal(toCents(0.29), 29);
});
