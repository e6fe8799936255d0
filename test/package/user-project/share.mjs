export default ({ df }) => df;
