-- A provider's sentinel (the `*_flag` column connectors write beside a value they could not
-- read as a number) as a notation key and the reason it gives, never a zero.
create or replace macro provider_notation_key(flag) as
  case flag when 'secret' then 'C' when 'nd' then 'NE' when 'empty' then 'NE' end;

create or replace macro provider_notation_reason(flag) as
  case flag
    when 'secret' then 'provider secret' when 'nd' then 'provider: not available'
    when 'empty' then 'provider: empty cell'
  end;
