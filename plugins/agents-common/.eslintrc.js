module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // TypeBox builders (Type.Object, Obj, StringEnum, …) are capitalized functions, not classes.
    'new-cap': ['error', { capIsNew: false }],
    // A TypeBox schema and its static type share one name, as TypeBox recommends.
    '@typescript-eslint/no-redeclare': 'off',
  },
});
