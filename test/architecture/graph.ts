/**
 * The source tree as the architecture test sees it: every TypeScript file of the product, its
 * imports (static, type-only, dynamic and re-exports), its exported names and its length. Parsed
 * with the TypeScript compiler's own parser, so a string that looks like an import is not one.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

export type EdgeKind = 'static' | 'type' | 'dynamic';

export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Names taken from `to`; '*' for a namespace import, a re-export of everything, or a dynamic import kept whole. */
  names: string[];
}

export interface SourceFile {
  path: string;
  lines: number;
  /** Names the file exports itself (not those it re-exports with `export *`). */
  exports: string[];
  /** Names it re-exports from another file: `export { a } from './x.js'` or `export * from`. */
  reexportAll: string[];
}

/** Every .ts file under the given folders of `root`, as paths relative to it. */
export function listSources(root: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const rel = join(dir, name);
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const f of folders) walk(f);
  return out;
}

/** A relative import as a path from the root; a package as 'pkg:<name>' (node: built-ins left out). */
function resolveSpec(from: string, spec: string): string | null {
  if (spec.startsWith('node:')) return null;
  if (!spec.startsWith('.')) {
    const parts = spec.split('/');
    return `pkg:${spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]}`;
  }
  return normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts');
}

const isExported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Parses one file: its edges, exported names and line count. */
export function parseSource(root: string, path: string): { file: SourceFile; edges: Edge[] } {
  const text = readFileSync(join(root, path), 'utf8');
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const exports: string[] = [];
  const reexportAll: string[] = [];
  const add = (spec: string, kind: EdgeKind, names: string[]) => {
    const to = resolveSpec(path, spec);
    if (to) edges.push({ from: path, to, kind, names });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const names: string[] = [];
      if (c?.name) names.push('default');
      const nb = c?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) names.push('*');
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) names.push((e.propertyName ?? e.name).text);
      const allTypes = c?.isTypeOnly || (nb && ts.isNamedImports(nb) && nb.elements.length > 0 && !c?.name && nb.elements.every((e) => e.isTypeOnly));
      add(n.moduleSpecifier.text, allTypes ? 'type' : 'static', c ? names : []);
    } else if (ts.isExportDeclaration(n)) {
      const spec = n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) ? n.moduleSpecifier.text : null;
      const clause = n.exportClause;
      if (spec) {
        const names = !clause ? ['*'] : ts.isNamespaceExport(clause) ? ['*'] : clause.elements.map((e) => (e.propertyName ?? e.name).text);
        add(spec, n.isTypeOnly ? 'type' : 'static', names);
        if (!clause) reexportAll.push(spec);
        else if (ts.isNamespaceExport(clause)) exports.push(clause.name.text);
        else for (const e of clause.elements) exports.push(e.name.text);
      } else if (clause && ts.isNamedExports(clause)) {
        for (const e of clause.elements) exports.push(e.name.text);
      }
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = n.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) {
        // const { a, b } = await import('./x.js') takes a and b; anything else keeps the module whole
        let names = ['*'];
        let p: ts.Node = n.parent;
        if (ts.isAwaitExpression(p)) p = p.parent;
        if (ts.isVariableDeclaration(p) && ts.isObjectBindingPattern(p.name)) names = p.name.elements.map((e) => ((e.propertyName ?? e.name) as ts.Identifier).text);
        add(arg.text, 'dynamic', names);
      }
    } else if (isExported(n) && !(ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))) {
      // a default export is an entry another process loads by file (a worker, a sandboxed processor)
      if (ts.isVariableStatement(n)) for (const d of n.declarationList.declarations) exports.push((d.name as ts.Identifier).text);
      else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isEnumDeclaration(n)) && n.name) exports.push(n.name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  return { file: { path, lines, exports, reexportAll }, edges };
}

/** The strongly connected components with more than one file, or a file importing itself: the cycles. */
export function cycles(files: readonly string[], edges: readonly Edge[]): string[][] {
  const adj = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) adj.get(e.from)?.push(e.to);
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!idx.has(w)) {
        if (!adj.has(w)) continue;
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (adj.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) strong(f);
  return out;
}

export const relativeTo = (root: string, p: string) => relative(root, p);
