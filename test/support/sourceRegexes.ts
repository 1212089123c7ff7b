// Every regular expression in the sources, found by parsing them with the TypeScript compiler:
// regex literals, and `new RegExp(…)` / `RegExp(…)` (and `.match`/`.matchAll`/`.search` of a
// string, which compile it) whose pattern and flags can be worked out from string literals,
// template literals, `+` and `const`s of the same file. What cannot be worked out is returned as
// unresolved, with the expression's text, for the caller to account for.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export interface FoundRegex {
  /** Path relative to the repository root, and 1-based line. */
  file: string;
  line: number;
  source: string;
  flags: string;
}

export interface UnresolvedRegex {
  file: string;
  line: number;
  /** The pattern argument as written, e.g. `value`. */
  expression: string;
}

export function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The `const` initialisers of a file by name (top level and nested: names are resolved by text). */
function constants(sf: ts.SourceFile): Map<string, ts.Expression | null> {
  const found = new Map<string, ts.Expression | null>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const isConst = (ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const) !== 0;
      // A name declared twice (or not const) is ambiguous: never resolved.
      found.set(node.name.text, isConst && !found.has(node.name.text) ? node.initializer : null);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The string an expression always evaluates to, or undefined when that cannot be known here. */
function stringValue(expr: ts.Expression, consts: Map<string, ts.Expression | null>, seen: Set<string> = new Set()): string | undefined {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) return stringValue(expr.expression, consts, seen);
  if (ts.isTemplateExpression(expr)) {
    let text = expr.head.text;
    for (const span of expr.templateSpans) {
      const part = stringValue(span.expression, consts, seen);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [stringValue(expr.left, consts, seen), stringValue(expr.right, consts, seen)];
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (ts.isIdentifier(expr) && !seen.has(expr.text)) {
    const init = consts.get(expr.text);
    if (!init) return undefined;
    // A regex constant stands for nothing here; its `.source` and `.flags` do (below).
    return stringValue(init, consts, new Set([...seen, expr.text]));
  }
  if (ts.isPropertyAccessExpression(expr) && (expr.name.text === "source" || expr.name.text === "flags")) {
    const re = regexOf(expr.expression, consts, seen);
    return expr.name.text === "source" ? re?.source : re?.flags;
  }
  return undefined;
}

/** A regex-valued expression: a literal, or a const naming one. */
function regexOf(expr: ts.Expression, consts: Map<string, ts.Expression | null>, seen: Set<string>): { source: string; flags: string } | undefined {
  if (ts.isRegularExpressionLiteral(expr)) return splitLiteral(expr.text);
  if (ts.isIdentifier(expr) && !seen.has(expr.text)) {
    const init = consts.get(expr.text);
    return init ? regexOf(init, consts, new Set([...seen, expr.text])) : undefined;
  }
  return undefined;
}

function splitLiteral(text: string): { source: string; flags: string } {
  const end = text.lastIndexOf("/");
  return { source: text.slice(1, end), flags: text.slice(end + 1) };
}

function isRegExpConstruction(node: ts.Node): node is ts.NewExpression | ts.CallExpression {
  return (ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === "RegExp";
}

/** `s.match(x)`, `s.matchAll(x)`, `s.search(x)`: a string x is compiled into a RegExp. */
function isStringToRegExpCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ["match", "matchAll", "search"].includes(node.expression.name.text) && node.arguments.length > 0;
}

export function regexesIn(file: string, root: string): { found: FoundRegex[]; unresolved: UnresolvedRegex[] } {
  const text = fs.readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const consts = constants(sf);
  const rel = path.relative(root, file);
  const lineOf = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const found: FoundRegex[] = [];
  const unresolved: UnresolvedRegex[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      found.push({ file: rel, line: lineOf(node), ...splitLiteral(node.text) });
    } else if (isRegExpConstruction(node)) {
      const [patternArg, flagsArg] = node.arguments ?? [];
      const literal = patternArg && ts.isRegularExpressionLiteral(patternArg) ? splitLiteral(patternArg.text) : undefined;
      const source = literal?.source ?? (patternArg ? stringValue(patternArg, consts) : undefined);
      const flags = flagsArg ? stringValue(flagsArg, consts) : (literal?.flags ?? "");
      if (source === undefined || flags === undefined) {
        unresolved.push({ file: rel, line: lineOf(node), expression: patternArg ? patternArg.getText(sf) : "(no argument)" });
      } else {
        found.push({ file: rel, line: lineOf(node), source, flags });
      }
      // The literal argument (if any) is the same regex: do not count it twice.
      if (literal) return;
    } else if (isStringToRegExpCall(node)) {
      const arg = node.arguments[0];
      // A regex literal (counted where it stands) or a const of this file naming one: nothing new.
      if (!ts.isRegularExpressionLiteral(arg) && !regexOf(arg, consts, new Set())) {
        const source = stringValue(arg, consts);
        if (source === undefined) unresolved.push({ file: rel, line: lineOf(node), expression: arg.getText(sf) });
        else found.push({ file: rel, line: lineOf(node), source, flags: "" });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { found, unresolved };
}
