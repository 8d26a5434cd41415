-- The ASP.NET Core data-protection key ring, shared by every app node (each key's XML encrypted by the app).
CREATE TABLE IF NOT EXISTS data_protection_keys (
    "Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "FriendlyName" text NOT NULL,
    "Xml" text NOT NULL,
    "CreatedAt" timestamptz NOT NULL DEFAULT now()
);
