import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/lab/catalog.js";
import { expectedCost, startOrder } from "../../src/lab/matrix.js";

// Issue 25: the lab fills both cores only if its slowest rows do not start last (a Varnish row
// started at the end runs alone while the other workers have nothing left to do).
describe("the lab starts its slowest rows first", () => {
  const catalog = loadCatalog();
  const order = startOrder(catalog);

  it("visits every row exactly once", () => {
    expect([...order].sort((a, b) => a - b)).toEqual(catalog.map((_, i) => i));
  });

  it("starts rows in non-increasing expected cost, Varnish and three-hop stacks before a lone proxy", () => {
    const costs = order.map((i) => expectedCost(catalog[i]!));
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    const first = catalog[order[0]!]!;
    expect(first.stack.length).toBeGreaterThanOrEqual(3);
    const lastVarnish = Math.max(...order.map((i, at) => (catalog[i]!.stack.includes("varnish") ? at : -1)));
    const firstTwoHop = order.findIndex((i) => catalog[i]!.stack.length === 2 && !catalog[i]!.stack.includes("varnish"));
    expect(lastVarnish).toBeLessThan(order.length / 2);
    expect(firstTwoHop).toBeGreaterThan(0);
  });

  it("keeps catalog order between rows of equal cost", () => {
    for (let at = 1; at < order.length; at++) {
      const [a, b] = [order[at - 1]!, order[at]!];
      if (expectedCost(catalog[a]!) === expectedCost(catalog[b]!)) expect(a).toBeLessThan(b);
    }
  });
});
