#!/usr/bin/env node
// Checks one packed tarball: the built code and its type declarations, everything its package.json
// promises (files, configSchema, bin, exports), and nothing that is only for tests or the sources.
const { execFileSync } = require('node:child_process');

const tarball = process.argv[2];
const entries = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
  .map(entry => entry.replace(/^package\//, ''));
const manifest = JSON.parse(
  execFileSync('tar', ['xzOf', tarball, 'package/package.json'], {
    encoding: 'utf8',
  }),
);

const problems = [];
const has = path => entries.includes(path.replace(/^\.\//, ''));
const hasUnder = folder =>
  entries.some(entry => entry.startsWith(`${folder}/`));

if (!hasUnder('dist')) problems.push('no dist/');
if (!entries.some(entry => /^dist\/.*\.d\.ts$/.test(entry))) {
  problems.push('no type declarations (dist/**/*.d.ts)');
}
for (const field of ['main', 'module', 'types']) {
  if (manifest[field] && !has(manifest[field])) {
    problems.push(
      `package.json ${field} ${manifest[field]} is not in the tarball`,
    );
  }
}
if (manifest.main?.startsWith('src/') || manifest.types?.startsWith('src/')) {
  problems.push(
    'package.json still points at src/: prepack did not apply publishConfig',
  );
}
const exportTargets = [];
const collectTargets = value => {
  if (typeof value === 'string') exportTargets.push(value);
  else if (value && typeof value === 'object') {
    // The `backstage` condition names the feature type, not a file.
    for (const [condition, target] of Object.entries(value)) {
      if (condition !== 'backstage') collectTargets(target);
    }
  }
};
collectTargets(manifest.exports);
for (const target of exportTargets) {
  if (!has(target))
    problems.push(`exports target ${target} is not in the tarball`);
}
if (manifest.configSchema !== undefined) {
  if (
    typeof manifest.configSchema !== 'string' ||
    !has(manifest.configSchema)
  ) {
    problems.push(
      `the config schema (${JSON.stringify(
        manifest.configSchema,
      )}) is not in the tarball`,
    );
  }
}
for (const file of manifest.files ?? []) {
  // config.d.ts is published as the config.schema.json that prepack generates from it.
  if (file === 'config.d.ts' && manifest.configSchema) continue;
  if (!has(file) && !hasUnder(file))
    problems.push(`"files" lists ${file}, which is missing`);
}
for (const bin of Object.values(manifest.bin ?? {})) {
  if (!has(bin)) problems.push(`bin ${bin} is not in the tarball`);
}
const forbidden = [
  [/(^|\/)__testUtils__\//, 'test utilities (__testUtils__)'],
  [/\.test\.[cm]?[jt]sx?(\.map)?$/, 'test files (*.test.*)'],
  [/(^|\/)__fixtures__\//, 'test fixtures (__fixtures__)'],
  [/(^|\/)setupTests\.[jt]s$/, 'jest setup'],
  [/^src\//, 'sources (src/)'],
  [/^dev\//, 'the dev harness (dev/)'],
];
for (const [pattern, what] of forbidden) {
  const found = entries.filter(entry => pattern.test(entry));
  if (found.length > 0) {
    problems.push(
      `${what}: ${found.slice(0, 5).join(', ')}${
        found.length > 5 ? ', …' : ''
      }`,
    );
  }
}
// A bundled module that reaches for a test utility would fail at require time in the user's app.
const testUtilReferences = execFileSync('tar', ['xzOf', tarball], {
  encoding: 'latin1',
  maxBuffer: 512 * 1024 * 1024,
}).match(/__testUtils__/g);
if (testUtilReferences) {
  problems.push(
    `the code mentions __testUtils__ ${testUtilReferences.length} times`,
  );
}

const name = `${manifest.name}@${manifest.version}`;
if (problems.length > 0) {
  console.error(`${name} (${tarball}):\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(
  `${name}: ${entries.length} files, dist/, type declarations${
    manifest.configSchema ? `, ${manifest.configSchema}` : ''
  }${hasUnder('migrations') ? ', migrations/' : ''}${
    hasUnder('crds') ? ', crds/' : ''
  }; no test or source files`,
);
