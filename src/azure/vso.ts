/**
 * Azure Pipelines logging commands, `##vso[area.action key=value;...]data`, escaped as the agent
 * unescapes them (microsoft/azure-pipelines-agent src/Agent.Sdk/CommandStringConvertor.cs: `;` %3B,
 * CR %0D, LF %0A, `]` %5D, and `%` as %AZP25 since the DecodePercents knob defaults to true) and as
 * azure-pipelines-task-lib's taskcommand.ts writes them: a property escapes all five, the data only
 * `%`, CR and LF (the agent ends the command at the first `]`, so one in the data is plain text).
 * One command is one line, whatever its values hold.
 */

const escapeData = (value: string): string => value.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

const escapeProperty = (value: string): string => escapeData(value).replace(/]/g, '%5D').replace(/;/g, '%3B')

/** One logging command line, e.g. vso('task.complete', { result: 'Failed' }, 'why'). */
export function vso(command: string, properties: Record<string, string> = {}, data = ''): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)};`)
    .join('')
  return `##vso[${command}${props ? ` ${props}` : ''}]${escapeData(data)}\n`
}
