import { closeSync, constants, openSync, readSync } from 'node:fs'
import { inert } from './outside.js'

/**
 * The one way a credential file is read (a private key, a federated token, a cloud's credentials
 * file): whatever the path names, within a time and a size bound. A file's size says nothing for a
 * device (/dev/zero) or a pipe, and a FIFO with no writer blocks a plain open or read for ever: opened
 * non-blocking, a pipe that has nothing yet is waited for until the deadline, then refused.
 */

/** A credential file is a few KB; anything much larger is not one, and is not read whole. */
export const CREDENTIAL_FILE_MAX_BYTES = 64 * 1024

/** How long a private key file (a pipe: `--private-key-file <(…)`) may take to deliver the key. */
export const KEY_FILE_WAIT_MS = 2000

/** What a key file larger than any key is told, after its name. */
export const KEY_FILE_TOO_LARGE = `holds more than ${CREDENTIAL_FILE_MAX_BYTES / 1024} KiB, too much for a private key file (a key is about 2 KB).`

/** A credential file's path as a message shows it: made inert, and not at all when too long to be one. */
export const shownFile = (path: string): string => (path.length <= 200 ? inert(path) : 'the path given')

/** Why a credential file could not be read, in words a message can end with. */
export class UnreadableFileError extends Error {
  constructor(
    /** "there is no such file", "it is a directory", …: never the path, never the content. */
    readonly why: string,
    readonly code?: string
  ) {
    super(why)
  }
}

/** A synchronous pause: a key file is read before anything else happens, and reading is synchronous. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

const REASONS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ELOOP: 'it is a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long to be a path',
  ENOTDIR: 'a part of the path is not a folder'
}

/**
 * The file's bytes, at most `maxBytes`, within `waitMs`; UnreadableFileError otherwise (a larger
 * file is refused, not cut).
 */
export function readCredentialFile(
  path: string,
  { maxBytes = CREDENTIAL_FILE_MAX_BYTES, waitMs }: { maxBytes?: number; waitMs: number }
): Buffer {
  const deadline = Date.now() + waitMs
  let fd: number
  try {
    // O_NONBLOCK is 0 where the platform has none (Windows): there, no FIFO can be named by a path.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw unreadable(error)
  }
  try {
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    while (length < buffer.length) {
      let read: number
      try {
        read = readSync(fd, buffer, length, buffer.length - length, null)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'EAGAIN' || Date.now() >= deadline) throw unreadable(error, waitMs)
        pause(Math.min(50, Math.max(1, deadline - Date.now())))
        continue
      }
      if (read === 0) break
      // A writer that trickles bytes for ever meets the deadline at its next pause.
      length += read
    }
    if (length > maxBytes) throw new UnreadableFileError(`it holds more than ${maxBytes / 1024} KiB`, 'EFBIG')
    return buffer.subarray(0, length)
  } finally {
    closeSync(fd)
  }
}

function unreadable(error: unknown, waitMs = 0): UnreadableFileError {
  if (error instanceof UnreadableFileError) return error
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
  if (code === 'EAGAIN') {
    return new UnreadableFileError(
      `nothing complete arrived from it within ${waitMs / 1000} s (a pipe or device with no data)`,
      code
    )
  }
  return new UnreadableFileError(REASONS[code] ?? `the system answered ${code}`, code)
}
