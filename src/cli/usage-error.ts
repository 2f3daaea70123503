/** The command line cannot be used as given (exit code 2). Its message never repeats an argument's value. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help to point at, if known. */
    readonly command?: string
  ) {
    super(message)
    this.name = 'UsageError'
  }
}
