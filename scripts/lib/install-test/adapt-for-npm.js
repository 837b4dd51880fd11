#!/usr/bin/env node
// What a user who installs a fresh create-app monorepo with npm instead of Yarn changes (the
// README's "Using npm instead of Yarn"): no Yarn files, npm's `overrides` for Yarn's
// `resolutions`, workspace dependencies by version instead of `link:`, `legacy-peer-deps`
// (Material UI 4 declares React ≤ 17 peers), React 18 pinned across the tree, better-sqlite3 13
// (12.x aborts Node ≥ 24.19) and backend-defaults 0.19. The second app is renamed `app-legacy`.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
const readJson = file =>
  JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
const writeJson = (file, value) =>
  fs.writeFileSync(path.join(dir, file), `${JSON.stringify(value, null, 2)}\n`);

for (const yarnFile of ['yarn.lock', '.yarnrc.yml', '.yarn']) {
  fs.rmSync(path.join(dir, yarnFile), { recursive: true, force: true });
}

const root = readJson('package.json');
delete root.packageManager;
root.overrides = {
  ...root.resolutions,
  react: '^18.3.1',
  'react-dom': '^18.3.1',
  'better-sqlite3': '^13.2.0',
  // 4.9.2 on our registry declares a `patch:` dependency npm cannot resolve.
  '@yarnpkg/core': '4.9.1',
};
delete root.resolutions;
writeJson('package.json', root);

const backend = readJson('packages/backend/package.json');
for (const [name, range] of Object.entries(backend.dependencies)) {
  if (range.startsWith('link:')) backend.dependencies[name] = '*';
}
backend.dependencies['better-sqlite3'] = '^13.2.0';
// Without Yarn's lock seed the template's ranges resolve the newest plugins, whose signals backend
// needs httpRouter.addWebSocketHandler from backend-defaults 0.19.
backend.dependencies['@backstage/backend-defaults'] = '^0.19.0';
writeJson('packages/backend/package.json', backend);

const legacyApp = readJson('packages/app-legacy/package.json');
legacyApp.name = 'app-legacy';
writeJson('packages/app-legacy/package.json', legacyApp);

fs.appendFileSync(path.join(dir, '.npmrc'), 'legacy-peer-deps=true\n');
