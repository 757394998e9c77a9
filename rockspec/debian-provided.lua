-- A luarocks configuration for Debian, where lua-cjson and busted come
-- from apt (lua-cjson, lua-busted) and are not rocks:
--   LUAROCKS_CONFIG=rockspec/debian-provided.lua luarocks --lua-version=5.4 test
-- luarocks reads /etc/luarocks/config-5.4.lua as well, so its trees stay.
rocks_provided = {
  ["lua-cjson"] = "2.1.0-1",
  busted = "2.1.1-1",
}
