/**
 * docs/keyless.md's setup commands are followed against the providers' own documentation: each shell
 * block names its source (the provider's page), in the block or in the lines just before it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'

/** Each shell block with the line it starts on and the few lines before it. */
function shellBlocks(text: string): { line: number; block: string; before: string }[] {
  const lines = text.split('\n')
  const blocks: { line: number; block: string; before: string }[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('```')) continue
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'))
    if (end < 0) throw new Error(`docs/keyless.md: the block at line ${i + 1} is not closed`)
    if (/^```(sh|bash|shell)\b/.test(lines[i])) {
      blocks.push({
        line: i + 1,
        block: lines.slice(i + 1, end).join('\n'),
        before: lines.slice(Math.max(0, i - 6), i).join('\n')
      })
    }
    i = end
  }
  return blocks
}

it('every shell block of docs/keyless.md carries its source, a provider page', () => {
  const blocks = shellBlocks(readFileSync(join(ROOT, 'docs', 'keyless.md'), 'utf8'))
  expect(blocks.length).toBeGreaterThan(10)
  const unsourced = blocks.filter(b => !/https:\/\//.test(`${b.before}\n${b.block}`)).map(b => b.line)
  expect(unsourced).toEqual([])
})
