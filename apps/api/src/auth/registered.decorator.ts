import { applyDecorators, UseGuards } from '@nestjs/common';
import { RegisteredUserGuard } from './registered-user.guard.js';

/** Marks a handler or controller as open to registered users only (not guests). */
export const Registered = () => applyDecorators(UseGuards(RegisteredUserGuard));
