-- The letter code of a code index, as src/interview/codes.ts computes it (A..Z, AA..AZ, BA..: bijective base 26),
-- so that a consent hands out its code and stores its interview in one statement: the round's counter row is then
-- locked for that statement only, not across the round trips of a transaction.

-- Up Migration

CREATE FUNCTION letter_code(code_index integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  n integer := code_index + 1;
  code text := '';
BEGIN
  IF code_index < 0 THEN
    RAISE EXCEPTION 'code index must be a whole number >= 0, got %', code_index;
  END IF;
  WHILE n > 0 LOOP
    code := chr(65 + (n - 1) % 26) || code;
    n := (n - 1) / 26;
  END LOOP;
  RETURN code;
END
$$;

-- Down Migration

DROP FUNCTION letter_code(integer);
