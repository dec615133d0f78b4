import { expect, test } from '@jest/globals';
import { PacedGate, slotSpacingMs } from '../../src/research/outbox/pacedGate.js';

test('the spacing is the rate less its headroom', () => {
  expect(slotSpacingMs(10, 0)).toBe(100);
  expect(slotSpacingMs(20, 0.2)).toBeCloseTo(62.5, 9);
  expect(slotSpacingMs(10)).toBeGreaterThan(100);
});

test('no burst: slots booked at once are one spacing apart, so no second holds more than the rate', () => {
  let now = 1_000_000;
  const gate = new PacedGate(slotSpacingMs(5, 0), () => now);
  const slots = Array.from({ length: 12 }, () => now + gate.reserve().waitMs);
  expect(slots.slice(0, 4)).toEqual([now, now + 200, now + 400, now + 600]);
  const inSecondFrom = (start: number) => slots.filter((s) => s >= start && s < start + 1000).length;
  for (const start of slots) expect(inSecondFrom(start)).toBeLessThanOrEqual(5);
  expect(inSecondFrom(now)).toBe(5);
  // An idle gate books the next send at once, not in a burst of saved-up slots.
  now += 60_000;
  expect(gate.reserve().waitMs).toBe(0);
  expect(gate.reserve().waitMs).toBe(200);
});

test('a pause holds back every slot not yet reached, keeping the spacing; a second one extends it, not adds', () => {
  let now = 0;
  const gate = new PacedGate(100, () => now);
  const booked = [gate.reserve(), gate.reserve(), gate.reserve()].map((s) => now + s.waitMs);
  expect(booked).toEqual([0, 100, 200]);
  now = 50;
  expect(gate.pause(1000)).toBe(1000);
  // The slots booked at 100 and 200 move by the pause (as the outbox moves them): the next one follows them.
  expect(now + gate.reserve().waitMs).toBe(300 + 1000);
  now = 550;
  // Until 1,550 now: half a second more than the pause under way.
  expect(gate.pause(1000)).toBe(1500);
  expect(now + gate.reserve().waitMs).toBe(400 + 1500);
  // A pause that ends inside the one under way adds nothing.
  expect(gate.pause(100)).toBe(1500);
});

test('a pause of an idle gate holds the next send until it ends', () => {
  let now = 10_000;
  const gate = new PacedGate(100, () => now);
  expect(gate.pause(700)).toBe(700);
  const slot = gate.reserve();
  expect(slot).toEqual({ waitMs: 700, pausedMs: 700 });
  now += 5000;
  expect(gate.reserve().waitMs).toBe(0);
});
