import { Body, Controller, Get, Post } from '@nestjs/common';
import type { AuthenticatedUser } from '@remem/auth-core';
import { CurrentUser, OptionalAuth, Public, RequireScopes } from '@remem/auth-nestjs';

interface Note {
  owner: string;
  text: string;
}

/** Notes kept in memory: anyone may read the greeting, scopes guard the notes. */
@Controller()
export class NotesController {
  private readonly notes: Note[] = [];

  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @OptionalAuth()
  @Get('greeting')
  greeting(@CurrentUser() user: AuthenticatedUser | undefined) {
    return { hello: user?.name ?? user?.subject ?? 'guest' };
  }

  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return { subject: user.subject, email: user.email, scopes: user.scopes };
  }

  @RequireScopes('notes:read')
  @Get('notes')
  list(@CurrentUser('subject') owner: string) {
    return this.notes.filter((note) => note.owner === owner);
  }

  @RequireScopes('notes:write')
  @Post('notes')
  create(@CurrentUser('subject') owner: string, @Body() body: { text?: unknown }) {
    const note = { owner, text: String(body.text ?? '') };
    this.notes.push(note);
    return note;
  }
}

/** The models route of an OpenAI-compatible API, which reports failures in OpenAI's format. */
@Controller('v1')
export class ModelsController {
  @Get('models')
  models() {
    return { object: 'list', data: [] };
  }
}
