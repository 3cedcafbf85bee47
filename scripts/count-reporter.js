// A node:test reporter that counts leaf tests (not describe blocks) and yields one closing line.
export default async function* countReporter(source) {
  let passed = 0
  let failed = 0
  let skipped = 0
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const data = event.data
    if (data.details?.type === 'suite') {
      // A suite that failed outside its tests (a hook, a top-level throw) still counts as one failure.
      if (event.type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') failed++
      continue
    }
    if (data.skip !== undefined || data.todo !== undefined) skipped++
    else if (event.type === 'test:pass') passed++
    else failed++
  }
  yield `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`
}
