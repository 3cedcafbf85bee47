/**
 * VPC links of HTTP APIs: CreateVpcLink, GetVpcLinks, GetVpcLink, UpdateVpcLink, DeleteVpcLink
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/vpclinks.html). There is no VPC locally: subnets and
 * security groups are kept as given. AWS answers a new link PENDING ("VPC link is provisioning ENIs") and makes it
 * AVAILABLE minutes later; the emulator's link is AVAILABLE from the next read on, so waiters finish at once.
 * Integrations of HTTP APIs with `connectionType: VPC_LINK` must name an existing link (config.ts).
 */
import {badRequest, conflict} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext} from '../../types.ts'
import {KIND} from '../model.ts'
import {type ApiDoc, type IntegrationDoc, iso, notFoundV2, ok, page, str, strList, strMap, wire} from './common.ts'

export type VpcLinkDoc = {
  vpcLinkId: string
  name: string
  createdDate: string
  securityGroupIds: string[]
  subnetIds: string[]
  tags: Record<string, string>
  vpcLinkStatus: 'PENDING' | 'AVAILABLE' | 'DELETING' | 'FAILED' | 'INACTIVE'
  vpcLinkStatusMessage: string
  vpcLinkVersion: 'V2'
}

// AWS's status messages (the AWS CLI reference's create-vpc-link and get-vpc-link examples).
const PROVISIONING = 'VPC link is provisioning ENIs'
const READY = 'VPC link is ready to route traffic'

export function requireVpcLink(ctx: OperationContext, vpcLinkId: string): VpcLinkDoc {
  const doc = ctx.store.get<VpcLinkDoc>(KIND.v2VpcLink, vpcLinkId)
  if (!doc) throw notFoundV2(`Invalid VpcLink identifier specified ${vpcLinkId}`, 'VpcLink')
  return doc
}

/** A link as reads answer it: provisioning is over by then. */
const available = (doc: VpcLinkDoc): Partial<VpcLinkDoc> => wire({...doc, vpcLinkStatus: 'AVAILABLE', vpcLinkStatusMessage: READY})

function readName(body: Record<string, unknown>): string | undefined {
  const name = str(body, 'name')
  // StringWithLengthBetween1And128 in the model.
  if (name !== undefined && (name.length < 1 || name.length > 128)) throw badRequest('VpcLink name must be between 1 and 128 characters')
  return name
}

export const createVpcLink: Handler = (req, ctx) => {
  const body = req.json()
  const name = readName(body)
  if (name === undefined) throw badRequest('VpcLink name is required')
  const subnetIds = strList(body, 'subnetIds')
  if (subnetIds === undefined || subnetIds.length === 0) throw badRequest('subnetIds is required')
  const doc: VpcLinkDoc = {
    vpcLinkId: ctx.newId(6),
    name,
    createdDate: iso(ctx.now()),
    securityGroupIds: strList(body, 'securityGroupIds') ?? [],
    subnetIds,
    tags: strMap(body, 'tags') ?? {},
    vpcLinkStatus: 'PENDING',
    vpcLinkStatusMessage: PROVISIONING,
    vpcLinkVersion: 'V2',
  }
  ctx.store.put(KIND.v2VpcLink, doc.vpcLinkId, doc)
  return ok(wire(doc), 201)
}

export const getVpcLinks: Handler = (req, ctx) => page(req, ctx.store.list<VpcLinkDoc>(KIND.v2VpcLink).map(available))

export const getVpcLink: Handler = (req, ctx) => ok(available(requireVpcLink(ctx, req.params.vpcLinkId!)))

export const updateVpcLink: Handler = (req, ctx) => {
  const doc = requireVpcLink(ctx, req.params.vpcLinkId!)
  const name = readName(req.json())
  if (name !== undefined) doc.name = name
  doc.vpcLinkStatus = 'AVAILABLE'
  doc.vpcLinkStatusMessage = READY
  ctx.store.put(KIND.v2VpcLink, doc.vpcLinkId, doc)
  return ok(wire(doc))
}

export const deleteVpcLink: Handler = (req, ctx) => {
  const doc = requireVpcLink(ctx, req.params.vpcLinkId!)
  const users: string[] = []
  for (const api of ctx.store.list<ApiDoc>(KIND.v2Api)) {
    for (const i of ctx.store.list<IntegrationDoc>(KIND.v2Integration, api.apiId)) {
      if (i.connectionType === 'VPC_LINK' && i.connectionId === doc.vpcLinkId) users.push(`${api.apiId}-${i.integrationId}`)
    }
  }
  if (users.length > 0) throw conflict(`VpcLink ${doc.vpcLinkId} is in use by integration(s): ${users.join(', ')}`)
  ctx.store.delete(KIND.v2VpcLink, doc.vpcLinkId)
  // DeleteVpcLink answers 202 Accepted with an empty object (the link goes through DELETING on AWS).
  return ok({}, 202)
}
