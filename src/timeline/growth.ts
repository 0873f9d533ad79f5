/** The growth-chart arithmetic the body model uses; it lives in `knowledge` so that `check` shares it. */
export { bmiAtZ, bmiPercentileOf, lmsAt, normalCdf, percentileOf, valueAtZ, zOfValue, type Lms } from '../knowledge/lms.js';
