#!/usr/bin/env node
// Follows the README's "Installing the plugins into an existing Backstage app" literally: prints
// its install commands, or pastes its code blocks into the fresh app's files.
//
//   readme-steps.js commands            the `npm install` lines of the sh block
//   readme-steps.js backend <app dir>   the backend block, before `backend.start()`
//   readme-steps.js legacy <app dir>    the legacy frontend blocks, into packages/app-legacy
//
// A legacy block names its file in its first line (`// packages/app/src/App.tsx`). Its imports go
// after the file's imports; each JSX line that the file already has (ignoring indentation) is
// context and marks where the next new line goes; a new line without context goes after the last
// single-line element of the same tag (`<Route …/>` after the last route).
const fs = require('node:fs');
const path = require('node:path');

const README = path.resolve(__dirname, '../../../README.md');
const SECTION = '## Installing the plugins into an existing Backstage app';

function installSection() {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no "${SECTION}"`);
  const rest = text.slice(start + SECTION.length);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

function codeBlocks() {
  const blocks = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  let match;
  const section = installSection();
  while ((match = fence.exec(section))) {
    blocks.push({ lang: match[1], code: match[2], at: match.index, section });
  }
  return blocks;
}

function fail(message) {
  console.error(`README install section: ${message}`);
  process.exit(1);
}

function commands() {
  const lines = codeBlocks()
    .filter(block => block.lang === 'sh')
    .flatMap(block => block.code.replace(/\s*\\\n\s*/g, ' ').split('\n'))
    .map(line => line.trim())
    .filter(line => line.startsWith('npm install '));
  if (lines.length === 0) fail('no `npm install` commands in an sh block');
  console.log(lines.join('\n'));
}

function backend(appDir) {
  const block = codeBlocks().find(
    b =>
      b.lang === 'ts' &&
      b.code.includes("backend.add(import('@krate/plugin-agents-backend'))"),
  );
  if (!block)
    fail(
      "no ts block with backend.add(import('@krate/plugin-agents-backend'))",
    );
  const file = path.join(appDir, 'packages/backend/src/index.ts');
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes('\nbackend.start();'))
    fail(`${file} has no backend.start()`);
  fs.writeFileSync(
    file,
    source.replace('\nbackend.start();', `\n${block.code}\nbackend.start();`),
  );
}

const isImport = line => /^import\s/.test(line);
const isComment = line => /^\s*\/\//.test(line);
const jsxLine = line => line.trim().replace(/;$/, '');

function afterImports(lines) {
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    if (isImport(lines[i])) {
      last = i;
      while (!/;\s*$/.test(lines[last])) last++;
    }
  }
  return last + 1;
}

function lastSingleLineElement(lines, tag) {
  for (let i = lines.length - 1; i >= 0; i--) {
    const trimmed = lines[i].trim();
    if (trimmed.startsWith(`<${tag} `) && trimmed.endsWith('/>')) return i;
  }
  return -1;
}

function pasteInto(file, code) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blockLines = code
    .split('\n')
    .filter(line => line.trim() && !isComment(line));
  const imports = blockLines
    .filter(isImport)
    .filter(line => !lines.includes(line));
  lines.splice(afterImports(lines), 0, ...imports);
  let anchor = -1;
  for (const line of blockLines.filter(l => !isImport(l))) {
    const wanted = jsxLine(line);
    const existing = lines.findIndex(l => l.trim() === wanted);
    if (existing >= 0) {
      anchor = existing;
      continue;
    }
    if (anchor < 0) {
      const tag = wanted.match(/^<([\w.]+)/)?.[1];
      anchor = tag ? lastSingleLineElement(lines, tag) : -1;
      if (anchor < 0) fail(`${file}: nowhere to put ${wanted}`);
    }
    const indent = lines[anchor].match(/^\s*/)[0];
    lines.splice(anchor + 1, 0, indent + wanted);
    anchor++;
  }
  fs.writeFileSync(file, lines.join('\n'));
}

function legacy(appDir) {
  const section = installSection();
  const from = section.indexOf('legacy frontend system');
  if (from < 0) fail('no "legacy frontend system" part');
  const blocks = codeBlocks().filter(b => b.lang === 'tsx' && b.at > from);
  if (blocks.length === 0) fail('no tsx blocks for the legacy frontend system');
  for (const block of blocks) {
    const target = block.code.match(/^\/\/ (packages\/app\/\S+)/)?.[1];
    if (!target)
      fail(
        `a legacy block does not name its file in its first line:\n${block.code}`,
      );
    const file = path.join(
      appDir,
      target.replace(/^packages\/app\//, 'packages/app-legacy/'),
    );
    if (!fs.existsSync(file))
      fail(`${target} is not a file of the generated app`);
    pasteInto(file, block.code);
  }
}

const [mode, appDir] = process.argv.slice(2);
if (mode === 'commands') commands();
else if (mode === 'backend') backend(appDir);
else if (mode === 'legacy') legacy(appDir);
else fail(`unknown mode ${mode}`);
