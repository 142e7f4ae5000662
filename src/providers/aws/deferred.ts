/**
 * Stand-ins for an SDK package's exports that load the package on first use. The CLI bundle
 * (build/bundle.ts) puts them in place of `@aws-sdk/client-*` imports, so a command that never
 * talks to a service never pays for loading its client; every use reaches the real export, so
 * commands, errors (`instanceof`), paginators and enums behave as they do unbundled.
 */

type Callable = (...args: unknown[]) => unknown;

/** A class or function export: calling, constructing and reading statics all reach the real one. */
export function deferredFunction(load: () => Callable): Callable {
  const handler: ProxyHandler<Callable> = {
    apply: (_target, self, args) => Reflect.apply(load(), self, args),
    // The real class as new.target, so instances have its prototype and pass its instanceof.
    construct: (_target, args) => Reflect.construct(load(), args) as object,
    get: (_target, key) => {
      const real = load();
      const value: unknown = Reflect.get(real, key, real);
      // The SDK's errors answer instanceof themselves, comparing `this` with their own class.
      return key === Symbol.hasInstance && typeof value === "function" ? value.bind(real) : value;
    },
    has: (_target, key) => Reflect.has(load(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
  };
  return new Proxy(function stand_in() {} as Callable, handler);
}

/** A constant-object export (an enum such as `RRType`). */
export function deferredObject(load: () => object): object {
  return new Proxy(
    {},
    {
      get: (_target, key) => Reflect.get(load(), key),
      has: (_target, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may only report a property as configurable when its target lacks it.
        return descriptor ? { ...descriptor, configurable: true } : undefined;
      },
    },
  );
}
