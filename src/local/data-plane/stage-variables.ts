/** `${stageVariables.name}` in an integration or authorizer URI, replaced by the stage's value (empty when unset). */
export function withStageVariables(text: string, variables: Record<string, string>): string {
  if (!text.includes('${')) return text
  return text.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => variables[name] ?? '')
}
