/**
 * GenerateClientCertificate's PEM (src/local/control-plane/v1/client-certificates.ts): whatever the random serial's
 * first byte, the certificate is one OpenSSL parses (a serial with a leading 0x00 before a byte under 0x80 is a
 * non-minimal DER INTEGER, "illegal padding"; one with the high bit set would be negative).
 */
import assert from 'node:assert/strict'
import {X509Certificate} from 'node:crypto'
import {describe, it} from 'node:test'
import {selfSignedCertificate} from '../../../src/local/control-plane/v1/client-certificates.ts'

describe('client certificate serial numbers', () => {
  for (const first of [0x00, 0x01, 0x62, 0x7f, 0x80, 0xff]) {
    it(`a serial drawn with first byte 0x${first.toString(16).padStart(2, '0')} makes a certificate OpenSSL parses`, () => {
      const random = Buffer.alloc(16, 0x62)
      random[0] = first
      random[1] = 0x05
      const cert = new X509Certificate(selfSignedCertificate(new Date('2026-12-05T00:00:00Z'), random))
      assert.ok(cert.verify(cert.publicKey))
      // A positive serial in minimal form: 16 bytes, the first in 0x01-0x7f
      assert.match(cert.serialNumber, /^[0-7][0-9A-F]{31}$/)
      assert.notEqual(cert.serialNumber.slice(0, 2), '00')
    })
  }
})
