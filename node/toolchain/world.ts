/** The world a bundle is built against lives in `shared/build/`, where the browser build uses it too. */
export { DETECTED_WORLD, worldForImports } from '../../shared/build/world.ts';
