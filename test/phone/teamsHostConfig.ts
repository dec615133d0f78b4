/**
 * A host config close to Teams' light theme (Segoe UI 14 px, Teams' spacing and padding), for rendering cards as a
 * phone would. Segoe UI is not on Linux: Liberation Sans has Arial's metrics, a little wider than Segoe UI, so the
 * heights measured with it err on the tall side. Actions stack vertically, as they do when they do not fit side by
 * side on a narrow screen; that also errs on the tall side.
 */
/** Teams' text colours, the same on the default and the emphasis background. */
const FOREGROUND_COLORS = {
  default: { default: '#242424', subtle: '#616161' },
  accent: { default: '#6264A7', subtle: '#8B8CC7' },
  good: { default: '#237B4B', subtle: '#237B4B' },
  warning: { default: '#C4314B', subtle: '#C4314B' },
  attention: { default: '#C4314B', subtle: '#C4314B' },
};

export const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Liberation Sans', Arial, sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: FOREGROUND_COLORS,
    },
    emphasis: {
      backgroundColor: '#F5F5F5',
      foregroundColors: FOREGROUND_COLORS,
    },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16 },
    actionsOrientation: 'vertical',
    actionAlignment: 'stretch',
  },
  adaptiveCard: { allowCustomStyle: false },
  inputs: {
    label: {
      inputSpacing: 'small',
      requiredInputs: { weight: 'bolder', suffix: ' *' },
      optionalInputs: { weight: 'default' },
    },
    errorMessage: { size: 'small', spacing: 'small' },
  },
  textBlock: { headingLevel: 2 },
};
