-- wrk script: cycles through a fixed list of queries in many scripts and languages.
local queries = {
  "greyed-out reset button", "Kennwort zurücksetzen ausgegraut", "共享链接 灰色", "ponastavitev gesla",
  "Outlook.com sync error 0x80070005", "パスワード リセット", "암호 재설정", "รีเซ็ตรหัสผ่าน",
  "сброс пароля", "partage externe désactivé", "Teams meeting recording", "OneDrive sync",
}
local langs = { "", "", "", "", "", "ja-JP", "ko-KR", "th-TH", "ru-RU", "fr-FR", "", "" }
local i = 0
local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  i = i % #queries + 1
  local path = "/search?limit=10&q=" .. encode(queries[i])
  if langs[i] ~= "" then path = path .. "&lang=" .. langs[i] end
  return wrk.format("GET", path)
end
