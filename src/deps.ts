/**
 * What services receive besides their options: AWS ports, a clock, progress reporting and warnings.
 * Built by BaseCommand.deps(); tests build their own (real clients aimed at the emulator, or fakes).
 */
import type {AwsClients} from './aws/clients.ts'

export type Progress = {
  /** Run one named step of a longer task; shown as a listr2 task at a TTY, as a plain line in CI. */
  step<T>(title: string, fn: () => Promise<T>): Promise<T>
  /** A line of information on stderr (never with --json). */
  info(message: string): void
  /** A warning: printed on stderr, and collected into the --json envelope. */
  warn(message: string): void
}

export type Deps = {
  aws: AwsClients
  clock: () => Date
  progress: Progress
  /** True when the user can be asked (a TTY, not CI, not --json). */
  interactive: boolean
  /** The working directory of the command (tests pass a temp dir). */
  cwd: string
}

export const silentProgress: Progress = {
  step: (_title, fn) => fn(),
  info: () => {},
  warn: () => {},
}
