import { parseIsoDuration } from '../../src/enforcement/iso-duration';

describe('parseIsoDuration', () => {
  it.each([
    ['PT5M', 300_000],
    ['PT0S', 0],
    ['PT0.5S', 500],
    ['PT1,25S', 1_250],
    ['P1DT12H', 129_600_000],
    ['P2W', 1_209_600_000],
    ['PT36H', 129_600_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['P', 'PT', 'P1DT', '5M', 'PT5m', 'P1M', 'P1Y', 'PT-5M', 'PT1.2345S', 'P1D2H', ''])('refuses %p', (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });
});
