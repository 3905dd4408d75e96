#!/usr/bin/env node
// Regenerates src/Workers.Moderation/Data/Lexicons/profanity.json (and the upstream licence files beside it) from the
// pinned npm packages. Deterministic: same pins + same curation.mjs => byte-identical output.
//
// Usage: node tools/lexicons/build-lexicons.mjs [--check]
//   --check  regenerate into memory and fail if the committed files differ (for CI or review).
//
// Needs node >= 20, npm and tar on PATH. Downloads two tarballs with `npm pack` into a temp dir; nothing is installed.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  excludeEnglish,
  englishSeverity,
  englishModeratePattern,
  englishStrongPattern,
  otherLanguages,
  allowPhrases,
} from './curation.mjs';

// Pinned by version and by tarball integrity, so a republished version can't change our data unnoticed.
const SOURCES = {
  cuss: {
    version: '2.2.0',
    integrity: 'sha512-3hlHOhMiZ6YdHY5LPUhfxlx1Pj14eGttv2l9ADB1Lkv7e/us5XD798wrVLJ9DHmDO8SzCDuA+ItByFZ3M1dIYg==',
    licence: 'MIT',
    url: 'https://github.com/words/cuss',
    licenceFile: 'license',
  },
  'naughty-words': {
    version: '1.2.0',
    integrity: 'sha512-0iadX6fN+3NsfvIRtWmmpEX9VsoIQ6n9FwyIxmew9w5yzFNqMgs/Ky0eAC/z5xXSHtqlVoByiovdROikwH9SXQ==',
    licence: 'CC-BY-4.0',
    url: 'https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words',
    licenceFile: 'LICENSE',
  },
};

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const outDir = join(repoRoot, 'src', 'Workers.Moderation', 'Data', 'Lexicons');
const check = process.argv.includes('--check');

function fail(message) {
  console.error(`build-lexicons: ${message}`);
  process.exit(1);
}

function fetchPackages(workDir) {
  const dirs = {};
  for (const [name, source] of Object.entries(SOURCES)) {
    const spec = `${name}@${source.version}`;
    const out = execFileSync('npm', ['pack', spec, '--json', '--pack-destination', workDir], {
      cwd: workDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [{ filename }] = JSON.parse(out);
    const tarball = join(workDir, filename);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== source.integrity) fail(`${spec}: integrity ${integrity} does not match the pinned one`);
    const dir = join(workDir, name);
    mkdirSync(dir);
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
    dirs[name] = join(dir, 'package');
  }
  return dirs;
}

const lower = (s) => s.normalize('NFC').toLowerCase().trim();
const byTerm = (a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0);

function requireKnown(kind, terms, known) {
  const unknown = terms.filter((t) => !known.has(t));
  if (unknown.length > 0) fail(`${kind} names terms the pinned sources don't have: ${unknown.join(', ')}`);
}

function buildEnglish(cuss, naughtyEn) {
  const entries = new Map(); // term -> { severity, sources:Set }
  const known = new Set([...Object.keys(cuss).map(lower), ...naughtyEn]);

  // cuss 2 ("surely profane") is severe; cuss 1 ("maybe") is kept, as mild, only when naughty-words lists it too,
  // because alone it is mostly words like "abuse", "crack" and "devil"; cuss 0 is cuss saying "not profane".
  for (const [raw, rating] of Object.entries(cuss)) {
    const term = lower(raw);
    if (rating === 2) entries.set(term, { severity: 3, sources: new Set(['cuss']) });
    else if (rating === 1 && naughtyEn.has(term)) entries.set(term, { severity: 1, sources: new Set(['cuss']) });
  }
  // naughty-words has no ratings: a term cuss doesn't know is moderate; one cuss rates 0 stays out.
  for (const term of naughtyEn) {
    const rating = cuss[term];
    if (rating === undefined) entries.set(term, { severity: 2, sources: new Set(['naughty-words']) });
    else if (entries.has(term)) entries.get(term).sources.add('naughty-words');
  }

  for (const [reason, terms] of Object.entries(excludeEnglish)) {
    requireKnown(`excludeEnglish.${reason}`, terms, known);
    for (const t of terms) entries.delete(t);
  }

  for (const [term, entry] of entries) {
    if (englishModeratePattern.test(term) && !englishStrongPattern.test(term)) entry.severity = 2;
  }
  const pins = [
    ['mild', 1],
    ['moderate', 2],
    ['severe', 3],
  ];
  for (const [level, severity] of pins) {
    const terms = englishSeverity[level];
    requireKnown(`englishSeverity.${level}`, terms, new Set(entries.keys()));
    for (const t of terms) entries.get(t).severity = severity;
  }

  return [...entries].map(([term, e]) => ({
    term,
    severity: e.severity,
    source: [...e.sources].sort().join('+'),
    lang: 'en',
  }));
}

function buildOtherLanguages(naughtyDir) {
  const result = [];
  for (const [lang, curation] of Object.entries(otherLanguages)) {
    const upstream = new Set(JSON.parse(readFileSync(join(naughtyDir, `${lang}.json`), 'utf8')).map(lower));
    requireKnown(`otherLanguages.${lang}.keep`, curation.keep, upstream);
    const kept = new Set(curation.keep);
    requireKnown(`otherLanguages.${lang}.severe`, curation.severe, kept);
    requireKnown(`otherLanguages.${lang}.mild`, curation.mild, kept);
    for (const term of kept) {
      const severity = curation.severe.includes(term) ? 3 : curation.mild.includes(term) ? 1 : 2;
      result.push({ term, severity, source: 'naughty-words', lang });
    }
  }
  return result;
}

function render(terms) {
  // One term per line keeps reviews and diffs readable; JSON.stringify on each line keeps escaping correct.
  const sources = Object.entries(SOURCES).map(([id, s]) => ({
    id,
    package: `${id}@${s.version}`,
    licence: s.licence,
    url: s.url,
  }));
  const lines = [
    '{',
    '  "schema": 1,',
    '  "lexicon": "profanity",',
    '  "category": "profanity",',
    '  "generatedBy": "tools/lexicons/build-lexicons.mjs (do not edit by hand; see ATTRIBUTION.md)",',
    '  "sources": [',
    sources.map((s) => `    ${JSON.stringify(s)}`).join(',\n'),
    '  ],',
    '  "terms": [',
    terms.map((t) => `    ${JSON.stringify(t)}`).join(',\n'),
    '  ]',
    '}',
    '',
  ];
  return lines.join('\n');
}

const workDir = mkdtempSync(join(tmpdir(), 'lexicons-'));
try {
  const dirs = fetchPackages(workDir);
  const { cuss } = await import(pathToFileURL(join(dirs.cuss, 'index.js')).href);
  const naughtyEn = new Set(JSON.parse(readFileSync(join(dirs['naughty-words'], 'en.json'), 'utf8')).map(lower));

  const allowed = allowPhrases.map((term) => ({ term, category: 'allow', severity: 1, source: 'quikapp', lang: 'en' }));
  const all = [...buildEnglish(cuss, naughtyEn), ...buildOtherLanguages(dirs['naughty-words']), ...allowed];
  const seen = new Set();
  const terms = all
    .sort(byTerm)
    .filter((t) => {
      const key = `${t.term}\u0000${t.lang}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

  const outputs = {
    'profanity.json': render(terms),
    'LICENSE.cuss.txt': readFileSync(join(dirs.cuss, SOURCES.cuss.licenceFile), 'utf8'),
    'LICENSE.naughty-words.txt': readFileSync(
      join(dirs['naughty-words'], SOURCES['naughty-words'].licenceFile),
      'utf8',
    ),
  };

  if (check) {
    const stale = Object.entries(outputs).filter(([file, text]) => {
      try {
        return readFileSync(join(outDir, file), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    if (stale.length > 0) fail(`out of date: ${stale.map(([f]) => f).join(', ')} (run without --check)`);
    console.log('build-lexicons: up to date');
  } else {
    mkdirSync(outDir, { recursive: true });
    for (const [file, text] of Object.entries(outputs)) writeFileSync(join(outDir, file), text);
    const bySeverity = [1, 2, 3].map((s) => terms.filter((t) => t.severity === s && !t.category).length);
    const byLang = Object.entries(
      terms.filter((t) => !t.category).reduce((acc, t) => ({ ...acc, [t.lang]: (acc[t.lang] ?? 0) + 1 }), {}),
    ).map(([l, n]) => `${l}=${n}`);
    console.log(
      `build-lexicons: ${terms.length - allowed.length} terms (severity 1/2/3: ${bySeverity.join('/')}; ` +
        `${byLang.join(' ')}) and ${allowed.length} allow phrases -> ` +
        `${join('src', 'Workers.Moderation', 'Data', 'Lexicons')}`,
    );
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
