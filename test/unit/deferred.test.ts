import { describe, expect, it } from "vitest";
import { deferredFunction, deferredObject } from "../../src/providers/aws/deferred.js";

class Failure extends Error {
  static kind = "failure";
  // Like the SDK's ServiceException: instanceof compares `this` with the class itself.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === Failure && value instanceof Error && value.name === "Failure";
  }
  constructor() {
    super("failed");
    this.name = "Failure";
  }
}

describe("deferred SDK exports", () => {
  it("loads nothing until first use, then behaves as the real class", () => {
    let loads = 0;
    const Deferred = deferredFunction(() => {
      loads += 1;
      return Failure as never;
    }) as unknown as typeof Failure;
    expect(loads).toBe(0);
    const made = new Deferred();
    expect(made).toBeInstanceOf(Failure);
    expect(made.constructor).toBe(Failure);
    expect(new Failure() instanceof Deferred).toBe(true);
    expect(new Error("other") instanceof Deferred).toBe(false);
    expect(Deferred.kind).toBe("failure");
  });

  it("calls a deferred function with its arguments", () => {
    const add = deferredFunction(() => ((a: number, b: number) => a + b) as never) as unknown as (
      a: number,
      b: number,
    ) => number;
    expect(add(2, 3)).toBe(5);
  });

  it("reads, lists and spreads a deferred enum like the object itself", () => {
    const RRType = deferredObject(() => ({ A: "A", CNAME: "CNAME" })) as { [key: string]: string };
    expect(RRType.A).toBe("A");
    expect("CNAME" in RRType).toBe(true);
    expect(Object.values(RRType)).toEqual(["A", "CNAME"]);
    expect({ ...RRType }).toEqual({ A: "A", CNAME: "CNAME" });
  });
});
