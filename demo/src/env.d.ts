// Vite's client types: `?raw` imports (the Chart.js source the worker passes to the report) and import.meta.env.
/// <reference types="vite/client" />
