#!/bin/sh
# Malformed inputs: each must exit 2 with "FILE:LINE:COL: message" on stderr
# and leave no output file behind (-o is written atomically).
. "$(dirname "$0")/lib.sh"
H='year,output,labour,capital'
n=0
# case NAME 'PRINTF-CONTENT' 'EXPECTED-POSITION' 'MESSAGE-PART' [EXTRA ARGS...]
case_() {
    name=$1 content=$2 pos=$3 msg=$4
    shift 4
    n=$((n + 1))
    f="$T/bad$n.csv"
    printf "$content" >"$f"
    rm -f "$T/out.csv"
    tfp estimate "$f" --format csv -o "$T/out.csv" "$@"
    expect_rc "$name" 2
    expect_err "$name" "tfp: $f:$pos: $msg"
    expect_no_file "$name" "$T/out.csv"
}

case_ text_in_number "$H\n2001,100,50,200\n2002,110,12x5,220\n" 3:10 'column "labour": expected a number, found "12x5"'
case_ decimal_comma_without_option "$H\n2001,100,50,200\n2002,110,\"12,5\",220\n" 3:10 'column "labour": expected a number, found "12,5"'
case_ percent_sign "$H\n2001,100,50,200\n2002,110%%,51,220\n" 3:6 'column "output": expected a number, found "110%"'
case_ excel_div0 "$H\n2001,100,50,200\n2002,#DIV/0!,51,220\n" 3:6 'column "output": expected a number, found "#DIV/0!"'
case_ infinity_text "$H\n2001,100,50,200\n2002,inf,51,220\n" 3:6 'column "output": expected a number, found "inf"'
case_ overflow "$H\n2001,100,50,200\n2002,1e999,51,220\n" 3:6 'column "output": number out of range, found "1e999"'
case_ too_few_fields "$H\n2001,100,50,200\n2002,110,51\n" 3:12 'expected 4 fields as in the header, found 3'
case_ too_many_fields "$H\n2001,100,50,200\n2002,110,51,220,9\n" 3:17 'expected 4 fields as in the header, found 5'
case_ unterminated_quote "$H\n2001,100,50,200\n2002,\"110,51,220\n" 3:6 'unterminated quote'
case_ header_only "$H\n" 2 'no data rows after the header'
case_ utf16 '\377\376y\000e\000' 1:1 'file is UTF-16; save it as UTF-8'
case_ nul_byte "$H\n2001,100,5\0000,200\n" 2:11 'NUL byte in text; is this a binary file?'
case_ invalid_utf8 "year,output,labour,capital,name\n2001,100,50,200,\377\n" 2:17 'invalid UTF-8 (byte 0xFF); save the file as UTF-8'
case_ duplicate_year "$H\n2001,100,50,200\n2002,110,51,220\n2001,105,50,210\n" 4:1 'duplicate row for year 2001 (first at line 2)'
case_ fractional_year "$H\n2001.5,100,50,200\n" 2:1 'column "year": expected a whole year'
case_ missing_year "$H\n,100,50,200\n" 2:1 'column "year": expected a year'
case_ year_out_of_range "$H\n20011,100,50,200\n" 2:1 'column "year": expected a whole year from 1000 to 9999, found 20011'
case_ zero_output "$H\n2001,0,50,200\n" 2:6 'column "output": expected a positive number, found 0'
case_ negative_labour "$H\n2001,100,-50,200\n" 2:10 'column "labour": expected a positive number, found -50'
case_ zero_capital "$H\n2001,100,50,0\n" 2:13 'column "capital": expected a positive number, found 0'
case_ labour_share_above_one "$H,labour_share\n2001,100,50,200,1.2\n" 2:17 'column "labour_share": expected a labour share between 0 and 1, found 1.2'
case_ negative_investment "year,output,labour,investment\n2001,100,50,-3\n" 2:13 'column "investment": expected a non-negative investment, found -3'
case_ no_labour_column "year,output,workers,capital\n2001,100,50,200\n" 1 'no labour column (looked for labour, labor, employment, emp, lao_dong)'
case_ no_capital_or_investment "year,output,labour\n2001,100,50\n" 1 'no capital or investment column'
case_ ambiguous_region "country,countrycode,$H\nViet Nam,VNM,2001,100,50,200\n" 1:9 'columns "country" and "countrycode" both look like the region'
case_ map_unknown_column "$H\n2001,100,50,200\n" 1 '--map output=gdp: no column named "gdp"' --map output=gdp
case_ map_same_column_twice "$H\n2001,100,50,200\n" 1:13 'column "labour" is used both as labour and as hours' --map hours=labour
case_ duplicate_mapped_header "year,output,labour,capital,grdp,grdp\n2001,100,50,200,1,2\n" 1:28 '--map output=grdp: the header has 2 columns named "grdp"' --map output=grdp
case_ sector_duplicate "region,sector,$H\nA,agri,2001,100,50,200\nA,agri,2001,101,50,200\n" 3:8 'duplicate row for region "A", sector "agri", year 2001 (first at line 2)'
case_ semicolon_decimal_comma_bad "year;output;labour;capital\n2001;100,5;50;200\n2002;1.10,5;51;220\n" 3:6 'column "output": expected a number, found "1.10,5"' --decimal ,

echo "ok bad_input: $n cases"
