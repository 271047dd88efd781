-- Accounts an operator disabled (`inkwell users disable EMAIL`): they cannot
-- log in by any means until `inkwell users enable EMAIL`. NULL = enabled.
-- Expand-only: a nullable column, so code without it runs on.
ALTER TABLE users ADD COLUMN disabled_at DATETIME(6) NULL DEFAULT NULL;
