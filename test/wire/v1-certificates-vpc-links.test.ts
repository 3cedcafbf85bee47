/**
 * v1 client certificates and VPC links through the SDK. A generated certificate is a real X.509 certificate
 * (parsed and verified by node:crypto); VPC link shapes and messages are AWS's recorded ones
 * (test/fixtures/ground-truth/v1-updates-vpc-links.json).
 */
import assert from 'node:assert/strict'
import {X509Certificate} from 'node:crypto'
import {after, before, describe, it} from 'node:test'
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateVpcLinkCommand,
  DeleteClientCertificateCommand,
  DeleteVpcLinkCommand,
  GenerateClientCertificateCommand,
  GetClientCertificateCommand,
  GetClientCertificatesCommand,
  GetTagsCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UpdateClientCertificateCommand,
  UpdateStageCommand,
  UpdateVpcLinkCommand,
} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'
import {plain, recorded} from './v1-recordings.ts'

const NLB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/my-nlb/1234567890abcdef'
const T = 'TestApiGatewayVpcLink'

describe('v1 client certificates and VPC links', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  it('generates a real self-signed certificate, lists, updates, tags, attaches to a stage and deletes it', async () => {
    // Given a generated client certificate
    const before = Math.floor(Date.now() / 1000)
    const cert = await t.v1.send(new GenerateClientCertificateCommand({description: 'backend trust', tags: {team: 'a'}}))
    assert.equal(cert.$metadata.httpStatusCode, 201)
    assert.match(cert.clientCertificateId!, /^[a-z0-9]{6}$/)
    // Then its PEM parses as an X.509 certificate, self-signed, valid for 365 days from now
    assert.match(cert.pemEncodedCertificate!, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/)
    const x509 = new X509Certificate(cert.pemEncodedCertificate!)
    assert.ok(x509.verify(x509.publicKey), 'self-signed: verifies with its own key')
    assert.equal(x509.publicKey.asymmetricKeyType, 'rsa')
    const created = cert.createdDate!.getTime() / 1000
    assert.ok(created >= before - 1 && created <= before + 60)
    assert.equal((cert.expirationDate!.getTime() - cert.createdDate!.getTime()) / 86_400_000, 365)
    assert.equal(Math.floor(new Date(x509.validTo).getTime() / 1000), cert.expirationDate!.getTime() / 1000)
    assert.deepEqual(cert.tags, {team: 'a'})
    // And it is listed, read, updated and tagged
    const id = cert.clientCertificateId!
    const list = await t.v1.send(new GetClientCertificatesCommand({}))
    assert.deepEqual(
      list.items?.map((c) => c.clientCertificateId),
      [id],
    )
    const updated = await t.v1.send(
      new UpdateClientCertificateCommand({
        clientCertificateId: id,
        patchOperations: [{op: 'replace', path: '/description', value: 'rotated'}],
      }),
    )
    assert.equal(updated.description, 'rotated')
    assert.equal(updated.pemEncodedCertificate, cert.pemEncodedCertificate)
    await rejectsWith(
      t.v1.send(
        new UpdateClientCertificateCommand({clientCertificateId: id, patchOperations: [{op: 'add', path: '/description', value: 'x'}]}),
      ),
      {
        name: 'BadRequestException',
        message: "Invalid patch path  '/description' specified for op 'add'. Please choose supported operations",
      },
    )
    const arn = `arn:aws:apigateway:us-east-1::/clientcertificates/${id}`
    await t.v1.send(new TagResourceCommand({resourceArn: arn, tags: {env: 'dev'}}))
    assert.deepEqual((await t.v1.send(new GetTagsCommand({resourceArn: arn}))).tags, {team: 'a', env: 'dev'})
    // And a stage can name it, and only an existing one
    const api = await t.v1.send(new CreateRestApiCommand({name: 'with-cert'}))
    await t.v1.send(
      new PutMethodCommand({restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', authorizationType: 'NONE'}),
    )
    await t.v1.send(new PutIntegrationCommand({restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET', type: 'MOCK'}))
    await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
    const stage = await t.v1.send(
      new UpdateStageCommand({
        restApiId: api.id!,
        stageName: 'dev',
        patchOperations: [{op: 'replace', path: '/clientCertificateId', value: id}],
      }),
    )
    assert.equal(stage.clientCertificateId, id)
    await rejectsWith(
      t.v1.send(
        new UpdateStageCommand({
          restApiId: api.id!,
          stageName: 'dev',
          patchOperations: [{op: 'replace', path: '/clientCertificateId', value: 'nope00'}],
        }),
      ),
      {name: 'BadRequestException', status: 400},
    )
    // And it is deleted (202), then unknown
    const deleted = await t.v1.send(new DeleteClientCertificateCommand({clientCertificateId: id}))
    assert.equal(deleted.$metadata.httpStatusCode, 202)
    await rejectsWith(t.v1.send(new GetClientCertificateCommand({clientCertificateId: id})), {name: 'NotFoundException', status: 404})
  })

  it('creates, lists, updates and deletes a VPC link as recorded against AWS', async () => {
    // When a link is created: 202, PENDING while AWS provisions it
    const created = await t.v1.send(new CreateVpcLinkCommand({name: 'link', targetArns: [NLB]}))
    assert.equal(created.$metadata.httpStatusCode, 202)
    const id = created.id!
    const norm = (o: Record<string, unknown>) => ({...o, id: '<id:1>', targetArns: ['<nlb-arn:1>']})
    assert.deepEqual(norm({...plain(created), name: '<name:1>'}), recorded(T, 'create_vpc_link').body)
    // Then it reads AVAILABLE, with AWS's status message, tags {} on Get and none in the list
    const got = await t.v1.send(new GetVpcLinkCommand({vpcLinkId: id}))
    assert.deepEqual(norm({...plain(got), name: '<name:1>'}), recorded(T, 'get_vpc_link').body)
    assert.deepEqual(got.targetArns, [NLB])
    const list = await t.v1.send(new GetVpcLinksCommand({}))
    assert.deepEqual(
      list.items?.map((l) => norm({...l, name: '<name:1>'})),
      (recorded(T, 'get_vpc_links').body as {items: unknown[]}).items,
    )
    // And a rename answers as recorded
    const updated = await t.v1.send(
      new UpdateVpcLinkCommand({vpcLinkId: id, patchOperations: [{op: 'replace', path: '/name', value: 'link-updated'}]}),
    )
    assert.deepEqual(norm({...plain(updated), name: '<name:1>-updated'}), recorded(T, 'update_vpc_link').body)
    assert.equal(updated.name, 'link-updated')
    // And the recorded refusals
    for (const [send, key] of [
      [() => t.v1.send(new CreateVpcLinkCommand({name: 'x', targetArns: ['invalid-arn']})), 'create_vpc_link_invalid_target_arn'],
      [() => t.v1.send(new CreateVpcLinkCommand({name: '', targetArns: [NLB]})), 'create_vpc_link_empty_name'],
      [() => t.v1.send(new GetVpcLinkCommand({vpcLinkId: 'nope00'})), 'get_vpc_link_invalid_id'],
    ] as const) {
      const r = recorded(T, key)
      await rejectsWith(send(), {name: r.error!, status: r.status, message: r.message!})
    }
    assert.equal((await t.v1.send(new DeleteVpcLinkCommand({vpcLinkId: id}))).$metadata.httpStatusCode, 202)
    await rejectsWith(t.v1.send(new DeleteVpcLinkCommand({vpcLinkId: id})), {
      name: 'NotFoundException',
      message: 'Invalid Vpc Link identifier specified',
    })
  })
})
