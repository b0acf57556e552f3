import { z } from '@hono/zod-openapi'
import { ROLES } from '../http/context'
import { pageSchema } from '../http/paging'
import { freeText } from '../http/text'

export const EditorInputSchema = z
  .object({
    name: freeText(100, { required: true }).openapi({
      description: 'Shown as the actor of every change they make.',
    }),
    email: z.email().max(254),
    role: z.enum(ROLES).openapi({ description: 'admin also manages editors and tiers.' }),
  })
  .openapi('EditorInput')

export const EditorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    created_at: z.string(),
  })
  .openapi('Editor')

export const EditorCreatedSchema = EditorSchema.extend({
  token: z
    .string()
    .openapi({ description: 'The bearer token. Shown once: only its hash is stored.' }),
}).openapi('EditorCreated')

export const EditorPageSchema = pageSchema(EditorSchema).openapi('EditorPage')
