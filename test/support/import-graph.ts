/**
 * The import graph of the server's modules (functions/, tests left out), read by TypeScript's
 * own parser: every `import` and `export ... from` of a module, with what it names and whether
 * it is erased at runtime (`import type`, or an import whose every name is a type), and
 * `import()` calls, which load at runtime.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = join(import.meta.dirname, '../..');

export interface ModuleImport {
  /** The importing module, from the repository's root (`functions/records/repository.ts`). */
  from: string;
  /** As written: `@aws-sdk/lib-dynamodb`, `../store/commands.ts`. */
  specifier: string;
  /** The imported module from the repository's root, for a relative specifier. */
  to?: string;
  /** Erased at runtime: loads nothing, so it makes no runtime loop. */
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The modules under `dir`, tests left out, from the repository's root (`functions/store/commands.ts`). */
export const modulesUnder = (dir: string): string[] => sources(join(ROOT, dir)).map((path) => relative(ROOT, path));

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((element) => element.isTypeOnly));
  const clause = node.importClause;
  if (!clause) return false; // `import './x.ts'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/** Every import of every module under `dir` (relative to the repository's root). */
export function importsUnder(dir: string): ModuleImport[] {
  return sources(join(ROOT, dir)).flatMap((path) => {
    const from = relative(ROOT, path);
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const found: ModuleImport[] = [];
    const add = (specifier: string, typeOnly: boolean) =>
      found.push({ from, specifier, typeOnly, ...(specifier.startsWith('.') ? { to: relative(ROOT, resolve(dirname(path), specifier)) } : {}) });
    const visit = (node: ts.Node) => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, isTypeOnly(node));
      else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [argument] = node.arguments;
        if (!argument || !ts.isStringLiteralLike(argument)) throw new Error(`${from}: import() of an expression: name the module, so the graph can read it`);
        add(argument.text, false);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) add(node.argument.literal.text, true);
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  });
}

/** The folder a module of functions/ is in (`records`), or `.` for one at its top. */
export const folderOf = (path: string) => {
  const parts = relative('functions', path).split('/');
  return parts.length > 1 ? parts[0] : '.';
};
