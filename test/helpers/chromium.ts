/**
 * Headless Chromium (Debian's `chromium`) as the browser that opens pages apigw writes: where it is, whether a test
 * may run it, and one run that prints the page's DOM or takes a screenshot. The page is opened from a file URL with
 * everything that would reach the network switched off; the profile lives in a temp dir of the test's.
 */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {tempDir} from './temp.ts'

const run = promisify(execFile)

export const CHROMIUM = process.env.APIGW_CHROMIUM ?? '/usr/bin/chromium'

/** Why a browser test cannot run here (skip with it), or undefined. In CI the browser is required: that throws. */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  if (process.env.CI) throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist (set APIGW_CHROMIUM).`)
  return `Chromium not found at ${CHROMIUM} (install Debian's chromium or set APIGW_CHROMIUM to run this test)`
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--hide-scrollbars',
  '--window-size=1280,1400',
  // Lets the page's scripts run to completion (Swagger UI renders after load) before the DOM or pixels are taken.
  '--virtual-time-budget=15000',
]

/** Open `file` in headless Chromium and return the DOM after its scripts ran (`--dump-dom`). */
export async function dumpDom(file: string): Promise<string> {
  const {stdout} = await run(
    CHROMIUM,
    [...FLAGS, `--user-data-dir=${tempDir('apigw-chromium-')}`, '--dump-dom', pathToFileURL(file).href],
    {
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  return stdout
}

/** Open `file` in headless Chromium and write a PNG screenshot of the first 1280x1400 pixels to `png`. */
export async function screenshot(file: string, png: string): Promise<void> {
  await run(CHROMIUM, [...FLAGS, `--user-data-dir=${tempDir('apigw-chromium-')}`, `--screenshot=${png}`, pathToFileURL(file).href], {
    timeout: 180_000,
  })
}
