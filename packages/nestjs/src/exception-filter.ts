import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { RememAuthException } from './exception.js';
import { sendRendered } from './http-response.js';

/**
 * Sends a {@link RememAuthException} exactly as the core renders it: status, `content-type:
 * application/json`, `WWW-Authenticate` (and `Retry-After` on a 503) and the body bytes of the
 * configured format, the same bytes as the Express and Fastify adapters send. The module
 * registers it globally, so you rarely use it yourself.
 *
 * NOTE: outside HTTP it rethrows the exception, so the context's own error handling (GraphQL,
 * WebSockets, microservices) receives it.
 *
 * @example
 * ```ts
 * @UseFilters(RememAuthExceptionFilter)
 * @UseGuards(RememAuthGuard)
 * @Controller('notes')
 * class NotesController {}
 * ```
 */
@Catch(RememAuthException)
export class RememAuthExceptionFilter implements ExceptionFilter<RememAuthException> {
  catch(exception: RememAuthException, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    sendRendered(host.switchToHttp().getResponse<object>(), exception.rendered);
  }
}
