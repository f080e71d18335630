/** @clappr/player ships no types: the plugin types the slices it uses (ClapprStatic). */
declare module '@clappr/player' {
  const Clappr: unknown;
  export default Clappr;
}
