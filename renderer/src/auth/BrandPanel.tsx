import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import GppMaybeOutlined from '@mui/icons-material/GppMaybeOutlined';
import QueryStatsOutlined from '@mui/icons-material/QueryStatsOutlined';
import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import { BrandMark } from '../ui/BrandMark.tsx';

const POINTS = [
  { icon: <GppMaybeOutlined />, text: 'Every payment scored in real time, with the reasons behind each flag' },
  { icon: <QueryStatsOutlined />, text: 'One live queue for fraud analysts and compliance, with SLAs' },
  { icon: <VerifiedUserOutlined />, text: 'Every decision recorded with who, when and why' },
];

/** The left half of the sign-in screen: product identity on the bank's navy. */
export function BrandPanel() {
  return (
    <Box
      sx={{
        display: { xs: 'none', md: 'flex' },
        flexDirection: 'column',
        justifyContent: 'space-between',
        p: 6,
        color: '#e2e8f0',
        background: 'radial-gradient(120% 80% at 0% 0%, #134e4a 0%, rgba(19,78,74,0) 55%), linear-gradient(160deg, #0b2545 0%, #081a33 60%, #06142a 100%)',
        position: 'relative',
        overflow: 'hidden',
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
        <BrandMark size={36} />
        <Box>
          <Typography sx={{ fontWeight: 700, fontSize: 17, color: '#fff', letterSpacing: '-0.01em' }}>Wekeza Risk Workstation</Typography>
          <Typography sx={{ fontSize: 12.5, color: 'rgba(226,232,240,0.7)' }}>Fraud & payment risk</Typography>
        </Box>
      </Box>

      <Box sx={{ maxWidth: 440 }}>
        <Typography sx={{ fontSize: 30, fontWeight: 650, lineHeight: 1.2, color: '#fff', letterSpacing: '-0.02em', mb: 3 }}>
          Stop fraud before the money moves.
        </Typography>
        {POINTS.map((point) => (
          <Box key={point.text} sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', mb: 1.75 }}>
            <Box sx={{ color: '#5eead4', '& svg': { fontSize: 20 }, mt: '1px' }}>{point.icon}</Box>
            <Typography sx={{ fontSize: 14, color: 'rgba(226,232,240,0.86)' }}>{point.text}</Typography>
          </Box>
        ))}
      </Box>

      <Typography sx={{ fontSize: 12, color: 'rgba(226,232,240,0.5)' }}>Authorised staff only. Activity on this system is recorded.</Typography>
    </Box>
  );
}
