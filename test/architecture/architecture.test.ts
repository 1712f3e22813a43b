/**
 * The architecture as a test: every structural rule in test/architecture/rules.ts is checked on
 * the source tree as it stands — the rooms' import directions (type-only and dynamic imports
 * included), no cycle between files, the line budget, no exported name that nothing uses, a
 * command line whose entry loads no heavy package, and the pictures in the docs equal to the rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers.js';
import { type Edge, type SourceFile, cycles, listSources, parseSource } from './graph.js';
import { MAX_LINES, heavyPackages, renderLayers, renderRules, roomOf, rooms, sourceFolders } from './rules.js';

const files = listSources(root, sourceFolders);
const parsed = files.map((f) => parseSource(root, f));
const byPath = new Map<string, SourceFile>(parsed.map((p) => [p.file.path, p.file]));
const edges: Edge[] = parsed.flatMap((p) => p.edges);
const internal = edges.filter((e) => !e.to.startsWith('pkg:'));
// the tests are users of the exports too
const testFiles = listSources(root, ['test']);
const testEdges = testFiles.flatMap((f) => parseSource(root, f).edges).filter((e) => !e.to.startsWith('pkg:'));

describe('architecture', () => {
  it('every source file belongs to a room', () => {
    expect(files.filter((f) => roomOf(f) === null).join('\n')).toBe('');
  });

  it("imports run only the rooms' allowed ways (static, type-only and dynamic alike)", () => {
    const wrong = internal
      .map((e) => ({ e, a: roomOf(e.from), b: roomOf(e.to) }))
      .filter(({ a, b }) => a && b && a.name !== b.name && !a.imports.includes(b.name))
      .map(({ e, a, b }) => `${e.from} (${a?.name}) -> ${e.to} (${b?.name}), ${e.kind}`);
    expect(wrong.join('\n')).toBe('');
  });

  it('imports point at files that exist', () => {
    expect(internal.filter((e) => !byPath.has(e.to)).map((e) => `${e.from} -> ${e.to}`).join('\n')).toBe('');
  });

  it('no file imports itself back through others, whatever the kind of import', () => {
    expect(cycles(files, internal).map((c) => c.join(' -> ')).join('\n')).toBe('');
  });

  it(`no source file is longer than ${MAX_LINES} lines`, () => {
    const long = parsed.filter((p) => p.file.lines > MAX_LINES).map((p) => `${p.file.path} (${p.file.lines})`);
    expect(long.join('\n')).toBe('');
  });

  it('every exported name is used by another file, a test, or is the library API', () => {
    // an import, or a re-export, of a name from a file uses it (a re-export is then itself an
    // export of the re-exporting file, which must be used in turn)
    const used = new Set<string>();
    for (const e of [...internal, ...testEdges]) for (const n of e.names) used.add(`${e.to}#${n}`);
    const unused: string[] = [];
    for (const f of byPath.values()) {
      if (f.path === 'src/index.ts' || used.has(`${f.path}#*`)) continue;
      for (const n of f.exports) if (!used.has(`${f.path}#${n}`)) unused.push(`${f.path}: ${n}`);
    }
    expect(unused.join('\n')).toBe('');
  });

  it('no `export *`: what a module offers is listed by name', () => {
    expect([...byPath.values()].filter((f) => f.reexportAll.length > 0).map((f) => `${f.path}: export * from ${f.reexportAll.join(', ')}`).join('\n')).toBe('');
  });

  it('the command line loads no heavy package before a command runs (each action imports its own)', () => {
    // the static closure of the entry: what `infoscope --version` loads
    const seen = new Set<string>();
    const heavy: string[] = [];
    const walk = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const e of edges.filter((x) => x.from === f && x.kind === 'static')) {
        if (e.to.startsWith('pkg:')) {
          if (heavyPackages.includes(e.to.slice(4))) heavy.push(`${f} -> ${e.to.slice(4)}`);
        } else walk(e.to);
      }
    };
    walk('src/cli/main.ts');
    expect(heavy.join('\n')).toBe('');
  });

  it('docs/architecture.md and the README show exactly these rules', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    expect(doc).toContain(renderRules());
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(renderLayers());
  });

  it('rooms are listed bottom to top: each imports only rooms listed before it', () => {
    const order = rooms.map((r) => r.name);
    for (const r of rooms) for (const i of r.imports) expect(order.indexOf(i), `${r.name} imports ${i}`).toBeLessThan(order.indexOf(r.name));
  });
});
