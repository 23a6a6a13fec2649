import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { StartupError } from '../startup-error.js';
import { SlashCommand, type SlashCommandHandler, type SlashCommandOptions } from './slash-command.js';

/** A command found at start-up. */
export interface RegisteredCommand {
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  readonly handler: SlashCommandHandler;
  /** The class, for error messages. */
  readonly className: string;
}

/** Letters, digits, - and _, starting with a letter: what the listener recognises after the `/`. */
export const COMMAND_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * Every `@SlashCommand` provider of the app, whichever module lists it. Two commands with one
 * name, or a name the listener could never match, stop the start-up: silently letting one win
 * would make a module's command disappear depending on the import order.
 */
@Injectable()
export class SlashCommandRegistry implements OnModuleInit {
  private readonly byName = new Map<string, RegisteredCommand>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: SlashCommand.KEY })) {
      const options = this.discovery.getMetadataByDecorator(SlashCommand, wrapper);
      if (options) this.add(describe(wrapper), options, wrapper.instance as unknown);
    }
  }

  /** Registers a command by hand (unit tests; the app itself only discovers them). */
  add(className: string, options: SlashCommandOptions, handler: unknown): void {
    if (!COMMAND_NAME.test(options.name)) {
      throw new StartupError(
        `Slash command "${options.name}" of ${className} is not a valid name: use a lower-case letter followed by up to 31 letters, digits, - or _ (e.g. "roll").`,
      );
    }
    if (typeof (handler as Partial<SlashCommandHandler> | null)?.run !== 'function') {
      throw new StartupError(
        `${className} has @SlashCommand({ name: '${options.name}' }) but no run(args, context) method: implement SlashCommandHandler, and list it as a plain (not request-scoped) provider.`,
      );
    }
    const taken = this.byName.get(options.name);
    if (taken) {
      throw new StartupError(
        `Two slash commands are named /${options.name}: ${[taken.className, className].sort().join(' and ')}. Rename one of them (the name in @SlashCommand), or leave one of their modules out of the app.`,
      );
    }
    this.byName.set(options.name, {
      name: options.name,
      usage: options.usage ?? `/${options.name}`,
      description: options.description,
      handler: handler as SlashCommandHandler,
      className,
    });
  }

  find(name: string): RegisteredCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Every command, by name. */
  list(): RegisteredCommand[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** `DiceCommand (in DiceModule)`: the module tells apart one class listed by two modules. */
function describe(wrapper: InstanceWrapper): string {
  const module = wrapper.host?.metatype?.name;
  return `${wrapper.metatype?.name ?? String(wrapper.token)}${module ? ` (in ${module})` : ''}`;
}
