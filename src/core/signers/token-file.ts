import { readCredentialFile, UnreadableFileError } from '../credential-file.js'

/**
 * A token file (a web identity token, a container authorization token, a federated subject token)
 * as text, through the one bounded reader every credential file takes. A problem comes back as an
 * Error whose message ends a sentence that starts with the file's name (never its content).
 */
export function readTokenFile(path: string, waitMs: number): string {
  try {
    return readCredentialFile(path, { waitMs }).toString('utf8')
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error
    throw new Error(error.code === 'ENOENT' ? 'does not exist' : `cannot be read: ${error.why}`, { cause: error })
  }
}
