/**
 * REST API (v1) VPC links: CreateVpcLink (202, `PENDING`), GetVpcLinks, GetVpcLink, UpdateVpcLink (`replace`
 * of `/name` and `/description`, AWS's Patch Operations table) and DeleteVpcLink (202). No network load balancer
 * is involved locally, so a link is `AVAILABLE` as soon as it is created, as AWS reports it once provisioned.
 * Shapes and messages are AWS's recorded ones (LocalStack's TestApiGatewayVpcLink snapshots, recorded against
 * AWS on 15-12-2025; test/fixtures/ground-truth/v1-vpc-links-and-updates.json).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_CreateVpcLink.html
 */
import {badRequest, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {Handler} from '../../types.ts'
import {KIND} from '../model.ts'
import {matchPatch, type PatchPaths, page, readPatchOperations, readStringMap} from './common.ts'

/** The GetVpcLink wire shape, plus the creation time that orders GetVpcLinks. */
export type VpcLinkDoc = {
  id: string
  name: string
  description?: string
  targetArns: string[]
  status: string
  statusMessage?: string
  tags?: Record<string, string>
  _created: number
}

const READY = 'Your vpc link is ready for use'

/** Throw NotFoundException unless the VPC link exists (recorded message). */
export function requireVpcLink(store: Store, id: string): VpcLinkDoc {
  const doc = store.get<VpcLinkDoc>(KIND.vpcLink, id)
  if (!doc) throw notFound('Invalid Vpc Link identifier specified')
  return doc
}

/** GetVpcLink shows `tags: {}` when there are none; GetVpcLinks items leave them out (recorded). */
function out(doc: VpcLinkDoc, inList = false): Record<string, unknown> {
  const {_created: _omit, tags, ...rest} = doc
  if (inList) return tags && Object.keys(tags).length > 0 ? {...rest, tags} : rest
  return {...rest, tags: tags ?? {}}
}

export const createVpcLink: Handler = (req, ctx) => {
  const body = req.json()
  const tags = readStringMap(body.tags, 'tags')
  // Recorded: an empty name, and a target that is not an ARN.
  if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('Name cannot be empty')
  const targets = Array.isArray(body.targetArns) ? body.targetArns.map(String) : []
  if (targets.length === 0) throw badRequest('TargetArns cannot be empty')
  for (const arn of targets) {
    if (!/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/.test(arn)) throw badRequest(`Invalid ARN. ARN is not well formed ${arn}`)
  }
  const doc: VpcLinkDoc = {
    id: ctx.newId(6),
    name: body.name,
    targetArns: targets,
    status: 'AVAILABLE',
    statusMessage: READY,
    _created: ctx.now().getTime(),
  }
  if (typeof body.description === 'string' && body.description !== '') doc.description = body.description
  if (tags) doc.tags = tags
  ctx.store.put(KIND.vpcLink, doc.id, doc)
  // The CreateVpcLink answer is the link while AWS provisions it: PENDING, no status message (recorded).
  const {statusMessage: _m, ...created} = out(doc, true)
  return {status: 202, body: {...created, status: 'PENDING'}}
}

export const getVpcLinks: Handler = (req, ctx) => {
  const items = ctx.store
    .list<VpcLinkDoc>(KIND.vpcLink)
    .sort((a, b) => a._created - b._created)
    .map((d) => out(d, true))
  return {status: 200, body: page(req, items)}
}

export const getVpcLink: Handler = (req, ctx) => ({status: 200, body: out(requireVpcLink(ctx.store, req.params.vpclink_id!))})

const VPC_LINK_PATHS: PatchPaths = [
  ['/name', ['replace']],
  ['/description', ['replace']],
]

export const updateVpcLink: Handler = (req, ctx) => {
  const ops = readPatchOperations(req, 'updateVpcLinkInput')
  const doc = structuredClone(requireVpcLink(ctx.store, req.params.vpclink_id!))
  for (const op of ops) {
    const m = matchPatch(op, VPC_LINK_PATHS)
    if (m.rule === '/name') {
      if (!m.value?.trim()) throw badRequest('Name cannot be empty')
      doc.name = m.value
    } else if (m.value) doc.description = m.value
    else delete doc.description
  }
  ctx.store.put(KIND.vpcLink, doc.id, doc)
  return {status: 200, body: out(doc)}
}

export const deleteVpcLink: Handler = (req, ctx) => {
  const doc = requireVpcLink(ctx.store, req.params.vpclink_id!)
  ctx.store.delete(KIND.vpcLink, doc.id)
  return {status: 202}
}
