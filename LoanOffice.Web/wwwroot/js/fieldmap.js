// The live map of the officers (Leaflet, vendored under wwwroot-assets/leaflet). Works without tiles: a grid of
// latitude/longitude lines and a scale are always drawn, so an intranet without a tile server still shows markers.
let loading;

function loadLeaflet() {
    if (window.L) return Promise.resolve();
    if (loading) return loading;
    loading = new Promise((resolve, reject) => {
        const css = document.createElement('link');
        css.rel = 'stylesheet';
        css.href = 'leaflet/leaflet.css';
        document.head.appendChild(css);
        const script = document.createElement('script');
        script.src = 'leaflet/leaflet.js';
        script.onload = () => resolve();
        script.onerror = () => reject(new Error('leaflet.js did not load'));
        document.head.appendChild(script);
    });
    return loading;
}

function step(span) {
    // six to twelve lines across the view
    const steps = [10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005];
    for (const s of steps) if (span / s >= 6) return s;
    return steps[steps.length - 1];
}

function drawGrid(state) {
    const map = state.map;
    state.grid.clearLayers();
    const b = map.getBounds();
    const s = step(Math.min(b.getEast() - b.getWest(), b.getNorth() - b.getSouth()));
    const style = { color: '#90a4ae', weight: 1, opacity: 0.5, interactive: false };
    for (let lat = Math.floor(b.getSouth() / s) * s; lat <= b.getNorth(); lat += s)
        state.grid.addLayer(L.polyline([[lat, b.getWest()], [lat, b.getEast()]], style));
    for (let lon = Math.floor(b.getWest() / s) * s; lon <= b.getEast(); lon += s)
        state.grid.addLayer(L.polyline([[b.getSouth(), lon], [b.getNorth(), lon]], style));
}

export async function init(element, tileUrl, attribution, center) {
    await loadLeaflet();
    const map = L.map(element, { zoomControl: true, attributionControl: !!tileUrl }).setView(center, 12);
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: attribution || '' }).addTo(map);
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    const state = { map, grid: L.layerGroup().addTo(map), markers: new Map(), userMoved: false };
    map.on('moveend', () => drawGrid(state));
    // until the reader pans or zooms, the view follows the officers
    map.on('dragstart', () => { state.userMoved = true; });
    element.addEventListener('wheel', () => { state.userMoved = true; }, { passive: true });
    drawGrid(state);
    element.__loFieldMap = state;
}

// officers: [{ id, name, label, lat, lon, offline }] (positions already in the tiles' datum)
export function update(element, officers) {
    const state = element.__loFieldMap;
    if (!state) return;
    const seen = new Set();
    for (const o of officers) {
        if (o.lat == null || o.lon == null) continue;
        seen.add(o.id);
        const style = { radius: 8, weight: 2, color: o.offline ? '#616161' : '#1565c0', fillColor: o.offline ? '#bdbdbd' : '#42a5f5', fillOpacity: 0.9 };
        let marker = state.markers.get(o.id);
        if (!marker) {
            marker = L.circleMarker([o.lat, o.lon], style).addTo(state.map);
            marker.bindTooltip('', { permanent: true, direction: 'right', offset: [10, 0] });
            state.markers.set(o.id, marker);
        } else {
            marker.setLatLng([o.lat, o.lon]);
            marker.setStyle(style);
        }
        marker.setTooltipContent(o.label);
    }
    for (const [id, marker] of state.markers) {
        if (!seen.has(id)) { marker.remove(); state.markers.delete(id); }
    }
    if (!state.userMoved && state.markers.size > 0) {
        const bounds = L.featureGroup([...state.markers.values()]).getBounds();
        if (!state.map.getBounds().pad(-0.1).contains(bounds)) state.map.fitBounds(bounds.pad(0.3), { maxZoom: 15 });
    }
}

// one officer's day: the path, its sign-in/out and its stops (positions already in the tiles' datum)
export function track(element, path, marks, stops) {
    const state = element.__loFieldMap;
    if (!state) return;
    state.track?.remove();
    const layer = L.featureGroup();
    if (path.length > 0) layer.addLayer(L.polyline(path.map(p => [p.lat, p.lon]), { color: '#1565c0', weight: 4, opacity: 0.8, className: 'lo-track' }));
    for (const p of path.filter(p => p.label)) layer.addLayer(L.circleMarker([p.lat, p.lon], { radius: 3, color: '#1565c0' }).bindTooltip(p.label));
    for (const m of marks)
        layer.addLayer(L.circleMarker([m.lat, m.lon], { radius: 9, color: m.signIn ? '#2e7d32' : '#c62828', fillOpacity: 0.8 })
            .bindTooltip(m.label, { permanent: true, direction: 'left', offset: [-10, 0] }));
    for (const s of stops)
        layer.addLayer(L.circleMarker([s.lat, s.lon], { radius: 7, color: '#ef6c00', fillOpacity: 0.6 }).bindTooltip(s.label, { permanent: true, direction: 'right', offset: [8, 0] }));
    layer.addTo(state.map);
    state.track = layer;
    if (layer.getLayers().length > 0) state.map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 16 });
    state.pathLength = path.length;
}

export function trackLength(element) { return element.__loFieldMap?.pathLength ?? 0; }

// where an officer's marker stands now (for the browser tests and the "locate" button)
export function position(element, id) {
    const marker = element.__loFieldMap?.markers.get(id);
    if (!marker) return null;
    const p = marker.getLatLng();
    return [p.lat, p.lng];
}

export function dispose(element) {
    element.__loFieldMap?.map.remove();
    delete element.__loFieldMap;
}
