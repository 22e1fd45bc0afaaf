import { sql, eq, and } from "drizzle-orm";
import { openDb } from "../../db/client";
import { pins, boards } from "../../db/schema";
const db = openDb("/tmp/seedtest/tablero.db");
console.log(db.select({ id: pins.id, c: sql`(select 1 from board_pin bp join board b on b.id = bp.board_id where bp.pin_id = ${pins.id})` }).from(pins).where(and(eq(pins.id, 1), sql`exists (select 1 from board_pin bp join board b on b.id = bp.board_id where bp.pin_id = ${pins.id})`)).toSQL().sql);
