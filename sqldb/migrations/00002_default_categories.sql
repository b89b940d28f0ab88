-- The default taxonomy: EST's usual categories and those in the seeds.
-- Admins can rename, regroup and archive them.

-- +goose Up
INSERT INTO categories (code, name, grp, sort_order) VALUES
    ('skadegorelse', 'Skadegörelse', 'Skadegörelse och brand', 10),
    ('klotter', 'Klotter', 'Skadegörelse och brand', 20),
    ('anlagd_brand', 'Anlagd brand', 'Skadegörelse och brand', 30),
    ('fordonsbrand', 'Brand i fordon', 'Skadegörelse och brand', 40),
    ('ungdomar_stok', 'Ungdomar som samlas/stök', 'Ordning och stök', 50),
    ('mopedbuskorning', 'Mopedbuskörning', 'Ordning och stök', 60),
    ('fyrverkerier', 'Fyrverkerier', 'Ordning och stök', 70),
    ('alkohol', 'Alkohol', 'Ordning och stök', 80),
    ('social_oro', 'Social oro', 'Ordning och stök', 90),
    ('hot_personal', 'Hot mot personal', 'Hot och våld', 100),
    ('vald', 'Våld', 'Hot och våld', 110),
    ('ran', 'Rån/förnedringsrån', 'Hot och våld', 120),
    ('skottlossning', 'Skottlossning', 'Hot och våld', 130),
    ('vapen', 'Vapen', 'Hot och våld', 140),
    ('vittnespaverkan', 'Hot mot vittnen eller ovilja att anmäla', 'Hot och våld', 150),
    ('narkotika_forsaljning', 'Narkotika – misstänkt försäljning', 'Narkotika', 160),
    ('narkotika_paverkade', 'Narkotika – påverkade personer', 'Narkotika', 170),
    ('narkotika_fynd', 'Narkotika – fynd', 'Narkotika', 180),
    ('otrygg_belysning', 'Otrygg plats – belysning', 'Otrygg miljö', 190),
    ('otrygg_skymd_sikt', 'Otrygg plats – skymd sikt', 'Otrygg miljö', 200),
    ('nedskrapning', 'Nedskräpning', 'Otrygg miljö', 210),
    ('sprutfynd', 'Sprutfynd', 'Otrygg miljö', 220),
    ('sexhandel', 'Tecken på sexhandel', 'Sexuell exploatering', 230),
    ('sugardejting', 'Sugardejting med minderåriga', 'Sexuell exploatering', 240),
    ('inbrott', 'Inbrott', 'Egendomsbrott', 250);

-- +goose Down
DELETE FROM categories;
