import { readFileSync, statSync } from 'node:fs'

/**
 * The one place the AWS credential chain and Google's credential_source.file read a token file (a
 * web identity token, a container authorization token, a federated subject token): a regular file of
 * at most `maxBytes`, read whole. Named problems come back as an Error whose message is safe to show
 * (it never holds the file's content).
 */
export const MAX_TOKEN_FILE_BYTES = 64 * 1024

export function readTokenFile(path: string, maxBytes = MAX_TOKEN_FILE_BYTES): string {
  let size: number
  try {
    const stat = statSync(path)
    // A FIFO or a device would block or never end; a directory is a mistyped path.
    if (!stat.isFile()) throw new Error(stat.isDirectory() ? 'is a directory' : 'is not a regular file')
    size = stat.size
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (!code) throw error
    throw new Error(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`, { cause: error })
  }
  if (size > maxBytes) throw new Error(`is larger than ${maxBytes / 1024} KiB`)
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error })
  }
}
