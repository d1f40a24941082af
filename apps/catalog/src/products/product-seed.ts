import type { Product } from '@keel/contracts';

/**
 * The catalog every region starts with. It is data, not generated, so both regions (and every
 * fresh checkout of the repo) hold exactly the same products, ids and starting stock, and the
 * audit can reason about stock conservation from a known origin.
 *
 * `stock` is ONE region's initial allocation, not the world's: each region is seeded with it and
 * owns those units, so the system holds `stock × 2` of each product (two regions). A region
 * sells only units it owns; units change hands only through transfer events (rebalancing/), so
 * the same unit can never be sold by both regions.
 */
type SeedRow = [id: string, name: string, priceCents: number, stock: number, description: string];

const byCategory: Record<string, SeedRow[]> = {
  audio: [
    ['p-001', 'Aurora Over-Ear Headphones', 18900, 120, 'Closed-back wireless headphones with active noise cancelling and 35 hours of battery.'],
    ['p-002', 'Pebble True Wireless Earbuds', 7900, 200, 'Compact earbuds with a pocketable charging case and IPX4 sweat resistance.'],
    ['p-003', 'Studio Monitor Speakers (pair)', 34900, 40, 'Five-inch active near-field monitors with a flat response for mixing at home.'],
    ['p-004', 'Bookshelf Bluetooth Speaker', 12900, 85, 'Walnut-veneer speaker with aptX, a line-in jack and a warm, room-filling sound.'],
    ['p-005', 'USB Condenser Microphone', 9900, 64, 'Cardioid microphone with a built-in headphone jack, for podcasts and calls.'],
    ['p-006', 'Portable DAC and Amplifier', 14900, 30, 'Pocket-sized USB-C DAC that drives high-impedance headphones cleanly.'],
    ['p-007', 'Turntable with Built-in Preamp', 27900, 25, 'Belt-drive record player with a switchable phono preamp and a felt mat.'],
    ['p-008', 'Soundbar with Wireless Subwoofer', 39900, 35, 'Slim 3.1 soundbar that pairs with its subwoofer and clarifies dialogue.'],
    ['p-009', 'Braided Headphone Cable (1.5 m)', 1900, 180, 'Replacement 3.5 mm cable with an inline microphone and a tangle-free braid.'],
  ],
  computing: [
    ['p-010', 'Mechanical Keyboard, Tenkeyless', 11900, 90, 'Hot-swappable tactile switches, PBT keycaps and a detachable USB-C cable.'],
    ['p-011', 'Ergonomic Wireless Mouse', 6900, 150, 'Sculpted right-hand mouse with a silent click and three-device switching.'],
    ['p-012', '27-inch 4K Monitor', 42900, 28, 'IPS panel with 99% sRGB, USB-C power delivery and a height-adjustable stand.'],
    ['p-013', 'USB-C Docking Station', 18900, 55, 'Twelve ports, dual display output and 100 W pass-through charging.'],
    ['p-014', 'Portable SSD, 1 TB', 10900, 110, 'Rugged solid-state drive reading at up to 1,050 MB/s over USB 3.2.'],
    ['p-015', 'Laptop Stand, Aluminium', 4900, 130, 'Foldable stand that raises a laptop screen to eye level and cools it.'],
    ['p-016', '1080p Webcam with Privacy Shutter', 7400, 95, 'Autofocus webcam with dual microphones and a sliding lens cover.'],
    ['p-017', 'Wi-Fi 6 Mesh Router (2-pack)', 24900, 45, 'Whole-home mesh coverage with wired backhaul and simple app set-up.'],
    ['p-018', 'Desk Mat, Extended', 2900, 160, 'Stitched-edge cloth mat large enough for a keyboard and a mouse.'],
  ],
  home: [
    ['p-019', 'Linen Duvet Cover, Queen', 15900, 60, 'Stone-washed European linen that softens with every wash.'],
    ['p-020', 'Blackout Curtains (2 panels)', 6900, 75, 'Thermal-lined curtains that block light and keep draughts out.'],
    ['p-021', 'Smart LED Bulb (4-pack)', 4900, 140, 'Dimmable, tunable white and colour bulbs that work without a hub.'],
    ['p-022', 'Wool Throw Blanket', 8900, 70, 'Lambswool throw woven in a herringbone pattern, 130 x 180 cm.'],
    ['p-023', 'Ceramic Table Lamp', 11900, 38, 'Hand-glazed base with a linen shade and an in-line dimmer.'],
    ['p-024', 'Air Purifier with HEPA Filter', 19900, 42, 'Quiet purifier for rooms up to 40 m², with an air-quality sensor.'],
    ['p-025', 'Cotton Bath Towel Set', 5900, 115, 'Six long-staple cotton towels: two bath, two hand and two face.'],
    ['p-026', 'Wall Clock, Silent Sweep', 3900, 88, 'Thirty-centimetre clock with a silent movement and an oak frame.'],
    ['p-027', 'Storage Baskets (set of 3)', 4400, 100, 'Woven seagrass baskets with handles, in three nesting sizes.'],
  ],
  kitchen: [
    ['p-028', "Chef's Knife, 20 cm", 8900, 80, 'Forged high-carbon stainless steel blade with a full tang.'],
    ['p-029', 'Cast Iron Skillet, 26 cm', 4900, 125, 'Pre-seasoned skillet that goes from hob to oven to table.'],
    ['p-030', 'Pour-Over Coffee Kettle', 5900, 92, 'Gooseneck electric kettle with temperature control and a hold mode.'],
    ['p-031', 'Burr Coffee Grinder', 13900, 48, 'Forty grind settings, from espresso to cold brew, with low retention.'],
    ['p-032', 'Stand Mixer, 5 L', 34900, 22, 'Planetary mixer with a dough hook, whisk and flat beater.'],
    ['p-033', 'Non-Stick Saucepan Set', 9900, 66, 'Three saucepans with glass lids, induction compatible.'],
    ['p-034', 'Bamboo Cutting Board', 2900, 170, 'End-grain board with a juice groove and non-slip feet.'],
    ['p-035', 'Digital Kitchen Scale', 2400, 190, 'Measures to the gram up to 5 kg, with a tare button.'],
    ['p-036', 'Glass Food Containers (10-piece)', 3900, 135, 'Oven-safe borosilicate containers with leak-proof lids.'],
  ],
  outdoor: [
    ['p-037', 'Two-Person Backpacking Tent', 29900, 32, 'Freestanding tent weighing 1.6 kg, with two doors and two vestibules.'],
    ['p-038', 'Down Sleeping Bag, -5 °C', 24900, 36, 'Eight-hundred-fill responsibly sourced down with a draught collar.'],
    ['p-039', 'Trekking Poles (pair)', 8900, 78, 'Carbon poles with cork grips and quick-lock adjustment.'],
    ['p-040', 'Insulated Water Bottle, 750 ml', 3400, 200, 'Keeps drinks cold for 24 hours or hot for 12.'],
    ['p-041', 'Headlamp, 400 Lumen', 4400, 145, 'Rechargeable headlamp with a red-light mode and a lock-out switch.'],
    ['p-042', 'Camp Stove with Igniter', 5900, 58, 'Compact canister stove that boils a litre in three and a half minutes.'],
    ['p-043', 'Daypack, 28 L', 9900, 84, 'Ventilated back panel, rain cover and a hydration sleeve.'],
    ['p-044', 'Folding Camp Chair', 6400, 62, 'Packs into its own bag, holds up to 120 kg, with a cup holder.'],
    ['p-045', 'Waterproof Rain Jacket', 17900, 50, 'Three-layer breathable shell with taped seams and pit zips.'],
  ],
  fitness: [
    ['p-046', 'Adjustable Dumbbells (pair)', 32900, 20, 'Dial-select weights from 2.5 to 24 kg, replacing fifteen pairs.'],
    ['p-047', 'Yoga Mat, 6 mm', 4900, 155, 'Natural rubber mat with a grippy top and alignment lines.'],
    ['p-048', 'Resistance Bands Set', 2900, 175, 'Five latex bands with handles, ankle straps and a door anchor.'],
    ['p-049', 'Foam Roller, High Density', 2900, 120, 'Textured roller for recovery and mobility work, 45 cm long.'],
    ['p-050', 'Jump Rope, Weighted', 2400, 140, 'Ball-bearing handles and a removable weighted cable.'],
    ['p-051', 'Kettlebell, 16 kg', 6900, 44, 'Single-piece cast iron kettlebell with a powder-coated handle.'],
    ['p-052', 'Heart Rate Chest Strap', 7900, 68, 'Bluetooth and ANT+ strap that pairs with apps and watches.'],
    ['p-053', 'Pull-Up Bar, Doorway', 3900, 96, 'No-screw doorway bar with foam grips, up to 130 kg.'],
    ['p-054', 'Exercise Bench, Adjustable', 19900, 26, 'Flat, incline and decline positions with a 300 kg rating.'],
  ],
};

export const PRODUCT_SEED: readonly Product[] = Object.entries(byCategory).flatMap(([category, rows]) =>
  rows.map(([id, name, priceCents, stock, description]) => ({ id, name, description, category, priceCents, currency: 'USD' as const, stock })),
);
