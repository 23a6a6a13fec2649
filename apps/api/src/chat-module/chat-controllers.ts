import type { DynamicModule, Type } from '@nestjs/common';

type ModuleRef = Type | DynamicModule | Promise<DynamicModule> | { forwardRef: () => unknown };

/**
 * Every controller that `modules` and what they import declare: the chat's HTTP routes, which
 * ChatModule guards itself. Read from the modules' metadata, so a controller added to one of
 * the chat's modules is covered without anyone remembering a list.
 */
export function controllersOf(modules: readonly ModuleRef[]): Type[] {
  const found = new Set<Type>();
  const seen = new Set<unknown>();
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref || seen.has(ref) || ref instanceof Promise || 'forwardRef' in ref) return;
    seen.add(ref);
    const type = typeof ref === 'function' ? ref : ref.module;
    const dynamic = typeof ref === 'function' ? undefined : ref;
    const declared = (key: 'controllers' | 'imports'): unknown[] => [
      ...((Reflect.getMetadata(key, type) as unknown[] | undefined) ?? []),
      ...((dynamic?.[key] as unknown[] | undefined) ?? []),
    ];
    for (const controller of declared('controllers')) found.add(controller as Type);
    for (const imported of declared('imports')) visit(imported as ModuleRef);
  };
  modules.forEach(visit);
  return [...found];
}
